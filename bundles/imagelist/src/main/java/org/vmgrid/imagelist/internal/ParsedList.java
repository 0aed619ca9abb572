package org.vmgrid.imagelist.internal;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.vmgrid.imagelist.ImageStatus;

/**
 * The content of one {@code hv:imagelist}, validated; entries that failed validation are kept,
 * unusable, with their reason.
 *
 * @param identifier the list's {@code dc:identifier} (lower-case UUID)
 * @param created {@code dc:date:created}, when given: orders versions of the same list
 * @param expires {@code dc:date:expires}
 * @param version {@code hv:version}, printable, possibly empty
 * @param uri the list's {@code hv:uri}, else the file it was read from
 * @param images the entries in list order
 */
public record ParsedList(String identifier, Optional<Instant> created, Instant expires, String version, URI uri,
        List<ImageStatus> images) {

    public ParsedList {
        images = List.copyOf(images);
    }
}
