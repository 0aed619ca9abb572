package org.vmgrid.pilot.internal;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.pilot.JobDirectory;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.LocalPilot;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.PoolAccounts;
import org.vmgrid.pilot.VmPilot;
import org.vmgrid.pilot.internal.job.AccountingLog;
import org.vmgrid.pilot.internal.service.CallerPolicy;
import org.vmgrid.pilot.internal.service.PilotSocketServer;

/**
 * The worker-node pilot service of the Felix runtime. It owns the libvirt connection: it connects
 * on activation and reaps what crashed pilots left; when libvirt is not reachable yet it says so
 * and connects (and reaps) when the first job comes. With {@code service.socket} set in
 * {@code pilot.properties} it takes jobs of {@code vmgrid pilot run --service} on that socket.
 */
@Component(service = VmPilot.class, immediate = true)
public final class PilotService implements VmPilot {

    private final SiteConfig config;
    private final CommandRunner commands;
    private final Optional<PilotSocketServer> server;
    private LocalPilot pilot;

    @Activate
    public PilotService(@Reference SiteConfig config, @Reference CommandRunner commands,
            @Reference ImageCatalog catalog) {
        this.config = config;
        this.commands = commands;
        try {
            connected();
        } catch (PilotException e) {
            System.err.println("vmgrid pilot service: " + e.getMessage() + " (will retry at the first job)");
        }
        try {
            this.server = config.pilot().serviceSocket().map(s -> new PilotSocketServer(s, this,
                    SiteDecision.of(config, catalog, Clock.systemUTC()),
                    new CallerPolicy(PoolAccounts.resolve(config.accounts(), commands)), config.pilot().serviceLimits(),
                    System.err, new AccountingLog(config.pilot().accountingFile())));
        } catch (PilotException | org.vmgrid.config.ConfigException e) {
            closePilot();
            throw e;
        }
        server.ifPresent(s -> System.err.println("vmgrid pilot service: taking jobs on " + s.socket()));
    }

    private synchronized LocalPilot connected() {
        if (pilot == null) {
            pilot = LocalPilot.openResident(config, commands, System.err);
            if (!pilot.reaped().isEmpty()) {
                System.err.println("vmgrid pilot service: reaped the VMs " + String.join(", ", pilot.reaped())
                        + " of pilots that are gone (killed or crashed); their jobs are accounted as failed (host)");
            }
        }
        return pilot;
    }

    @Override
    public JobOutcome run(PilotJob job, Optional<JobDirectory> jobdir, OutputStream stdout, OutputStream stderr,
            Consumer<JobOutcome> onResult) {
        Instant start = Instant.now();
        LocalPilot p;
        try {
            p = connected();
        } catch (PilotException e) {
            JobOutcome o = new JobOutcome(job.jobId(), Optional.empty(), Optional.of(e.kind()), e.getMessage(), "", start,
                    Instant.now(), 0);
            onResult.accept(o);
            return o;
        }
        return p.run(job, jobdir, stdout, stderr, onResult);
    }

    @Override
    public synchronized void cancel(String jobId) {
        if (pilot != null) {
            pilot.cancel(jobId);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        server.ifPresent(PilotSocketServer::close);
        closePilot();
    }

    private synchronized void closePilot() {
        if (pilot != null) {
            pilot.close();
            pilot = null;
        }
    }
}
