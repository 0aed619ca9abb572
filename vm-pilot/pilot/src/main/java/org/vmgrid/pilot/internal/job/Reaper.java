package org.vmgrid.pilot.internal.job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.internal.files.FileTrees;
import org.vmgrid.pilot.internal.libvirt.Hypervisor;
import org.vmgrid.pilot.internal.libvirt.LabelledDomain;

/**
 * Removes what crashed pilots left: every vmgrid-labelled domain whose owning pilot process is
 * gone is destroyed and undefined, and its job directory removed.
 */
public final class Reaper {

    private final Hypervisor hv;
    private final Path stateDir;
    private final LongPredicate pilotAlive;

    /** @param pilotAlive whether the process with that PID still runs */
    public Reaper(Hypervisor hv, Path stateDir, LongPredicate pilotAlive) {
        this.hv = hv;
        this.stateDir = stateDir;
        this.pilotAlive = pilotAlive;
    }

    /** The process table's view: alive when a process with that PID exists. */
    public static boolean processAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Reaps orphans; returns the names of the domains removed. */
    public List<String> reap() {
        List<String> reaped = new ArrayList<>();
        for (LabelledDomain d : hv.labelledDomains()) {
            if (pilotAlive.test(d.pilotPid())) {
                continue;
            }
            try {
                hv.destroy(d.name());
                hv.undefine(d.name());
                reaped.add(d.name());
            } catch (PilotException e) {
                continue; // still there: the next start tries again
            }
            if (org.vmgrid.pilot.PilotJob.JOB_ID.matcher(d.jobId()).matches()) {
                FileTrees.deleteQuietly(stateDir.resolve(d.jobId()));
            }
        }
        return reaped;
    }
}
