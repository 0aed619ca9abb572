package org.vmgrid.pilot.internal.job;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.vmgrid.pilot.FailureKind;

/**
 * A job the pilot service refused at its start, before any VM, for its accounting record
 * ({@link AccountingLog#appendRefused}).
 *
 * @param image the image as the job asked for it (a UUID or an alias)
 * @param memoryMiB the memory it asked for, if it did
 * @param cpus the CPUs it asked for, if it did
 */
public record RefusedJob(String jobId, String image, String user, int uid, Optional<String> batchJob,
        OptionalInt memoryMiB, OptionalInt cpus, Optional<String> ceJob, Instant at, FailureKind failure,
        String reason) {
}
