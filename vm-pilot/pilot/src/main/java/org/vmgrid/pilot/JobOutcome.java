package org.vmgrid.pilot;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a job ended: the payload's exit code, or the reason vmgrid could not give one.
 *
 * @param jobId the job
 * @param exitCode the payload's exit code (0-255) when the guest reported one
 * @param failure why there is no exit code, when there is none
 * @param reason a one-line reason for the failure, empty on success
 * @param hypervisor the domain type used ({@code kvm} or {@code qemu}), empty when no VM started
 * @param start when the pilot took the job
 * @param end when everything of the job was cleaned up
 * @param cpuSeconds CPU time the guest used, as libvirt counted it
 */
public record JobOutcome(String jobId, Optional<Integer> exitCode, Optional<FailureKind> failure, String reason,
        String hypervisor, Instant start, Instant end, double cpuSeconds) {

    public JobOutcome {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(failure, "failure");
        reason = reason == null ? "" : reason;
        hypervisor = hypervisor == null ? "" : hypervisor;
        if (exitCode.isPresent() == failure.isPresent()) {
            throw new IllegalArgumentException("job " + jobId + ": an outcome has either an exit code or a failure");
        }
    }

    /** Wall-clock seconds from start to end. */
    public double wallSeconds() {
        return (end.toEpochMilli() - start.toEpochMilli()) / 1000.0;
    }
}
