package org.vmgrid.pilot.internal;

import java.io.OutputStream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.LocalPilot;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.VmPilot;

/**
 * The worker-node pilot service of the Felix runtime. It owns the libvirt connection: it connects
 * on activation and reaps what crashed pilots left; when libvirt is not reachable yet it says so
 * and connects (and reaps) when the first job comes.
 */
@Component(service = VmPilot.class, immediate = true)
public final class PilotService implements VmPilot {

    private final SiteConfig config;
    private final CommandRunner commands;
    private LocalPilot pilot;

    @Activate
    public PilotService(@Reference SiteConfig config, @Reference CommandRunner commands) {
        this.config = config;
        this.commands = commands;
        try {
            connected();
        } catch (PilotException e) {
            System.err.println("vmgrid pilot service: " + e.getMessage() + " (will retry at the first job)");
        }
    }

    private synchronized LocalPilot connected() {
        if (pilot == null) {
            pilot = LocalPilot.open(config, commands);
        }
        return pilot;
    }

    @Override
    public JobOutcome run(PilotJob job, OutputStream stdout, OutputStream stderr) {
        java.time.Instant start = java.time.Instant.now();
        LocalPilot p;
        try {
            p = connected();
        } catch (PilotException e) {
            return new JobOutcome(job.jobId(), java.util.Optional.empty(), java.util.Optional.of(e.kind()),
                    e.getMessage(), "", start, java.time.Instant.now(), 0);
        }
        return p.run(job, stdout, stderr);
    }

    @Override
    public synchronized void cancel(String jobId) {
        if (pilot != null) {
            pilot.cancel(jobId);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (pilot != null) {
            pilot.close();
            pilot = null;
        }
    }
}
