package org.vmgrid.imagelist.internal;

import java.time.Instant;
import java.util.Optional;
import org.vmgrid.imagelist.ListStatus;

/**
 * One list after its own checks, before it is compared with the other lists.
 *
 * @param status what the checks found
 * @param created its {@code dc:date:created}: which version of a list is newest
 */
public record CheckedList(ListStatus status, Optional<Instant> created) {
}
