package org.vmgrid.pilot;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.pilot.internal.golden.GoldenStore;
import org.vmgrid.pilot.internal.golden.Goldens;
import org.vmgrid.pilot.internal.job.JobRunner;
import org.vmgrid.pilot.internal.job.JobRunnerParts;
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
    private final Optional<Goldens> goldens;

    private LocalPilot(Hypervisor hv, JobRunner runner, List<String> reaped, Optional<Goldens> goldens) {
        this.hv = hv;
        this.runner = runner;
        this.reaped = reaped;
        this.goldens = goldens;
    }

    /** Whether no golden snapshot is being made or waiting to be (always, for a pilot without goldens). */
    public boolean goldensIdle() {
        return goldens.map(Goldens::idle).orElse(true);
    }

    /**
     * Connects to libvirt at {@code pilot.properties}' {@code libvirt.uri}, chooses the hypervisor
     * and reaps orphans.
     *
     * @throws PilotException (kind HOST) when libvirt cannot be reached
     */
    public static LocalPilot open(SiteConfig config, CommandRunner commands) {
        return open(config, commands, Optional.empty());
    }

    /**
     * As {@link #open(SiteConfig, CommandRunner)}, for a pilot that stays (the pilot service): with
     * {@code warm.start} on it keeps golden snapshots in {@code golden.dir} and starts VMs of guest
     * contract 2 images warm; what it does with them it says on {@code log}.
     */
    public static LocalPilot openResident(SiteConfig config, CommandRunner commands, PrintStream log) {
        return open(config, commands, Optional.of(log));
    }

    private static LocalPilot open(SiteConfig config, CommandRunner commands, Optional<PrintStream> resident) {
        String uri = config.pilot().libvirtUri();
        Hypervisor hv = new ReconnectingHypervisor(() -> new LibvirtHypervisor(uri), LIBVIRT_PATIENCE, uri);
        Optional<Goldens> goldens = Optional.empty();
        try {
            Clock clock = Clock.systemUTC();
            var parts = PilotAssembly.parts(config, commands, clock);
            List<String> reaped = new Reaper(hv, parts.stateDir(), Reaper::processAlive, parts.accounting(), clock,
                    parts.pilotPid()).reap();
            if (resident.isPresent() && config.pilot().warm().enabled()) {
                goldens = goldens(config, parts, hv, clock, resident.get());
            }
            return new LocalPilot(hv, new JobRunner(parts, hv, clock, goldens), reaped, goldens);
        } catch (RuntimeException e) {
            goldens.ifPresent(Goldens::close);
            hv.close();
            throw e;
        }
    }

    /** The pilot's goldens; none (said on the log, every VM boots) when golden.dir cannot be the pilot's own. */
    private static Optional<Goldens> goldens(SiteConfig config, JobRunnerParts parts, Hypervisor hv, Clock clock,
            PrintStream log) {
        GoldenStore store;
        try {
            store = new GoldenStore(config.pilot().warm().goldenDir(), parts.pilotUser().uid());
        } catch (PilotException e) {
            log.println("vmgrid pilot: no warm starts: " + e.getMessage());
            return Optional.empty();
        }
        Goldens g = new Goldens(store, parts.cache(), hv, parts.plan(), parts.overlays(), parts.stateDir(),
                parts.bootTimeout(), parts.caps().consoleBytes(), parts.pilotPid(), clock, log);
        for (String slot : store.removeUnfinished()) {
            log.println("vmgrid pilot: golden " + slot + " was left unfinished by a pilot that is gone; removed");
        }
        try {
            g.removeOtherVersions();
        } catch (PilotException e) {
            log.println("vmgrid pilot: warning: " + e.getMessage());
        }
        return Optional.of(g);
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
        goldens.ifPresent(Goldens::close);
        hv.close();
    }
}
