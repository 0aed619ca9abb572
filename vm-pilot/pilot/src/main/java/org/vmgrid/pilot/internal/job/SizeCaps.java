package org.vmgrid.pilot.internal.job;

/**
 * How much a guest may write through each of its ways back to the host; past a cap the guest is
 * stopped and the job fails with that reason ({@code LIMIT}).
 *
 * @param outputBytes the payload's stdout and its stderr, each
 * @param consoleBytes the serial console (kernel and init log)
 * @param statusBytes the status port (the contract needs a few short lines)
 */
public record SizeCaps(long outputBytes, long consoleBytes, int statusBytes) {

    public SizeCaps {
        if (outputBytes < 1 || consoleBytes < 1 || statusBytes < 64) {
            throw new IllegalArgumentException("size caps must be positive (the status port's at least 64 bytes), were "
                    + outputBytes + ", " + consoleBytes + ", " + statusBytes);
        }
    }
}
