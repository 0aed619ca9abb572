package org.vmgrid.pilot;

import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Consumer;

/** Runs payloads in VMs on this host. Thread-safe: each call runs one job. */
public interface VmPilot {

    /**
     * Runs a job to its end: fetches and verifies the image, boots a fresh VM, relays the payload's
     * stdout and stderr live, and cleans up the VM and every file of the job, whatever happens.
     *
     * @return the outcome; never throws for a job that fails, the outcome carries the reason
     */
    default JobOutcome run(PilotJob job, OutputStream stdout, OutputStream stderr) {
        return run(job, stdout, stderr, o -> { });
    }

    /**
     * As {@link #run(PilotJob, OutputStream, OutputStream)}, and tells {@code onResult} the job's
     * result once it is final: the guest has reported the payload's exit and powered off (so its
     * output is all relayed), or the job failed. That is before the VM is torn down and the job's
     * files removed, which this call still waits for; {@code onResult} is called exactly once, and
     * what it throws does not stop the clean-up.
     */
    default JobOutcome run(PilotJob job, OutputStream stdout, OutputStream stderr, Consumer<JobOutcome> onResult) {
        return run(job, Optional.empty(), stdout, stderr, onResult);
    }

    /**
     * As {@link #run(PilotJob, OutputStream, OutputStream, Consumer)}, with the job directory as the
     * job's user reaches it, for a pilot that is not that user: a guest that takes its job directory
     * on disks (a stock cloud-init image) gets it through {@code jobdir}; without it only a pilot
     * running as the job's user runs such a job.
     */
    JobOutcome run(PilotJob job, Optional<JobDirectory> jobdir, OutputStream stdout, OutputStream stderr,
            Consumer<JobOutcome> onResult);

    /** Cancels a running job: its VM is destroyed and its files removed. No effect on unknown ids. */
    void cancel(String jobId);
}
