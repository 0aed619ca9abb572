package org.vmgrid.pilot;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.pilot.internal.job.JobRunner;
import org.vmgrid.pilot.internal.job.PilotAssembly;
import org.vmgrid.pilot.internal.job.Reaper;
import org.vmgrid.pilot.internal.libvirt.Hypervisor;
import org.vmgrid.pilot.internal.libvirt.LibvirtHypervisor;
import org.vmgrid.pilot.internal.libvirt.ReconnectingHypervisor;

/**
 * A {@link VmPilot} of this process with its own libvirt connection, for the command line (the
 * Felix runtime offers the same as a service). Opening it reaps the domains of crashed pilots.
 */
public final class LocalPilot implements VmPilot, AutoCloseable {

    /**
     * How long a job waits for libvirt to come back when libvirtd went away (a restart), before it
     * fails: its guest runs on meanwhile.
     */
    public static final Duration LIBVIRT_PATIENCE = Duration.ofSeconds(60);

    private final Hypervisor hv;
    private final JobRunner runner;
    private final List<String> reaped;

    private LocalPilot(Hypervisor hv, JobRunner runner, List<String> reaped) {
        this.hv = hv;
        this.runner = runner;
        this.reaped = reaped;
    }

    /**
     * Connects to libvirt at {@code pilot.properties}' {@code libvirt.uri}, chooses the hypervisor
     * and reaps orphans.
     *
     * @throws PilotException (kind HOST) when libvirt cannot be reached
     */
    public static LocalPilot open(SiteConfig config, CommandRunner commands) {
        String uri = config.pilot().libvirtUri();
        Hypervisor hv = new ReconnectingHypervisor(() -> new LibvirtHypervisor(uri), LIBVIRT_PATIENCE, uri);
        try {
            var parts = PilotAssembly.parts(config, commands, Clock.systemUTC());
            List<String> reaped = new Reaper(hv, parts.stateDir(), Reaper::processAlive, parts.accounting(),
                    Clock.systemUTC(), parts.pilotPid()).reap();
            return new LocalPilot(hv, new JobRunner(parts, hv, Clock.systemUTC()), reaped);
        } catch (RuntimeException e) {
            hv.close();
            throw e;
        }
    }

    /** Names of the orphaned domains removed when this pilot opened. */
    public List<String> reaped() {
        return reaped;
    }

    @Override
    public JobOutcome run(PilotJob job, Optional<JobDirectory> jobdir, OutputStream stdout, OutputStream stderr,
            Consumer<JobOutcome> onResult) {
        return runner.run(job, jobdir, stdout, stderr, onResult);
    }

    /**
     * Runs a job like {@link #run}, and if this process is told to stop (SIGTERM, SIGINT) while it
     * runs, cancels it: the VM is destroyed and the job's files removed before the process ends
     * (the shutdown waits up to 9 s for that).
     */
    public JobOutcome runCancellingOnShutdown(PilotJob job, OutputStream stdout, OutputStream stderr) {
        return runCancellingOnShutdown(job, stdout, stderr, o -> { });
    }

    /**
     * As {@link #runCancellingOnShutdown(PilotJob, OutputStream, OutputStream)}; {@code report} sees
     * the outcome before a shutdown that cancelled the job may end the process, so that what it
     * prints (the reason) is not lost.
     */
    public JobOutcome runCancellingOnShutdown(PilotJob job, OutputStream stdout, OutputStream stderr,
            Consumer<JobOutcome> report) {
        return CancelOnShutdown.run(() -> cancel(job.jobId()), () -> run(job, stdout, stderr), report);
    }

    @Override
    public void cancel(String jobId) {
        runner.cancel(jobId);
    }

    @Override
    public void close() {
        hv.close();
    }
}
