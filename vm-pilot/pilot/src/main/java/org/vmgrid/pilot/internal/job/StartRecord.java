package org.vmgrid.pilot.internal.job;

import java.time.Instant;
import java.util.Optional;

/**
 * How a job's VM started, for its accounting record: {@code warm} (restored from a golden snapshot)
 * or {@code cold} (booted), why it booted, and when each step was done.
 */
final class StartRecord {
    /** {@code warm}, {@code cold}, or empty when no VM started. */
    String kind = "";
    /** Why the VM booted rather than being restored (or why a restore failed); empty for a warm start. */
    String note = "";
    /** The job's files: overlay (or the copy of the golden's disk) and context. */
    double prepareSeconds;
    /** libvirt's start of the domain, or its restore from the golden. */
    double vmStartSeconds;
    /** When libvirt's start or restore returned: the guest runs. */
    Optional<Instant> vmRunning = Optional.empty();
    /** When the guest said it started the payload. */
    Optional<Instant> payloadStart = Optional.empty();
    /** When the pilot saw the guest power off after the payload's end. */
    Optional<Instant> guestEnd = Optional.empty();
}
