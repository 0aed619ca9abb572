package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.internal.files.FileTrees;
import org.vmgrid.pilot.internal.libvirt.Hypervisor;
import org.vmgrid.pilot.internal.libvirt.LabelledDomain;

/**
 * Removes what crashed pilots left: every vmgrid-labelled domain whose owning pilot process is
 * gone is destroyed and undefined; every job directory whose record ({@link JobRecord}) names a
 * pilot that is gone is removed, whether or not its VM had started, and the job gets its accounting
 * record (failure {@code host}, saying what happened), since its pilot could not write one.
 */
public final class Reaper {

    private final Hypervisor hv;
    private final Path stateDir;
    private final LongPredicate pilotAlive;
    private final AccountingLog accounting;
    private final Clock clock;
    private final long self;

    /**
     * @param pilotAlive whether the process with that PID still runs
     * @param self the PID of the pilot that reaps, for the records' reason
     */
    public Reaper(Hypervisor hv, Path stateDir, LongPredicate pilotAlive, AccountingLog accounting, Clock clock,
            long self) {
        this.hv = hv;
        this.stateDir = stateDir;
        this.pilotAlive = pilotAlive;
        this.accounting = accounting;
        this.clock = clock;
        this.self = self;
    }

    /** The process table's view: alive when a process with that PID exists. */
    public static boolean processAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Reaps orphans; returns the names of the domains removed. */
    public List<String> reap() {
        List<String> reaped = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        for (LabelledDomain d : hv.labelledDomains()) {
            if (pilotAlive.test(d.pilotPid())) {
                kept.add(d.jobId());
                continue;
            }
            try {
                hv.destroy(d.name());
                hv.undefine(d.name());
                reaped.add(d.name());
            } catch (PilotException e) {
                kept.add(d.jobId()); // still there: the next start tries again
            }
        }
        for (Path dir : jobDirectories()) {
            String job = dir.getFileName().toString();
            if (kept.contains(job)) {
                continue;
            }
            Optional<JobRecord> r = JobRecord.readFrom(dir);
            if (r.isEmpty() && reaped.contains(org.vmgrid.pilot.internal.domain.DomainPlan.NAME_PREFIX + job)) {
                FileTrees.deleteQuietly(dir); // its VM was reaped; a directory from before records were kept
            } else if (r.isPresent() && r.get().jobId().equals(job) && !pilotAlive.test(r.get().pilotPid())) {
                account(r.get());
                FileTrees.deleteQuietly(dir);
            }
        }
        return reaped;
    }

    private void account(JobRecord r) {
        try {
            accounting.appendReaped(r, clock.instant(), "the pilot (PID " + r.pilotPid() + ") that ran job "
                    + r.jobId() + " ended before the job did (killed or crashed), so the job's result is unknown; "
                    + "its VM was destroyed and its files removed when pilot PID " + self + " started");
        } catch (IOException e) {
            System.err.println("vmgrid pilot: cannot write the accounting record of reaped job " + r.jobId() + ": "
                    + e.getMessage());
        }
    }

    private List<Path> jobDirectories() {
        if (!Files.isDirectory(stateDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(stateDir)) {
            return s.filter(p -> PilotJob.JOB_ID.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
