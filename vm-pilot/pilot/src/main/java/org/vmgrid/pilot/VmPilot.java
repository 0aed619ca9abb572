package org.vmgrid.pilot;

import java.io.OutputStream;

/** Runs payloads in VMs on this host. Thread-safe: each call runs one job. */
public interface VmPilot {

    /**
     * Runs a job to its end: fetches and verifies the image, boots a fresh VM, relays the payload's
     * stdout and stderr live, and cleans up the VM and every file of the job, whatever happens.
     *
     * @return the outcome; never throws for a job that fails, the outcome carries the reason
     */
    JobOutcome run(PilotJob job, OutputStream stdout, OutputStream stderr);

    /** Cancels a running job: its VM is destroyed and its files removed. No effect on unknown ids. */
    void cancel(String jobId);
}
