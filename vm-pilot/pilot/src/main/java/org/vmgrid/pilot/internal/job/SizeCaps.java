package org.vmgrid.pilot.internal.job;

/**
 * How much a guest may write through each of its ways back to the host; past a cap the guest is
 * stopped and the job fails with that reason ({@code LIMIT}).
 *
 * @param outputBytes the payload's stdout and its stderr, each
 * @param consoleBytes the serial console (kernel and init log)
 * @param statusBytes the status port (the contract needs a few short lines)
 * @param jobdirBytes the job directory's archive either way, for a guest that takes it on disks
 */
public record SizeCaps(long outputBytes, long consoleBytes, int statusBytes, long jobdirBytes) {

    /** Caps with a job directory archive of at most 1 GiB. */
    public SizeCaps(long outputBytes, long consoleBytes, int statusBytes) {
        this(outputBytes, consoleBytes, statusBytes, 1L << 30);
    }

    public SizeCaps {
        if (outputBytes < 1 || consoleBytes < 1 || statusBytes < 64 || jobdirBytes < 10240) {
            throw new IllegalArgumentException("size caps must be positive (the status port's at least 64 bytes), were "
                    + outputBytes + ", " + consoleBytes + ", " + statusBytes);
        }
    }
}
