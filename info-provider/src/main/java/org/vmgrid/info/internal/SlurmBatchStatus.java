package org.vmgrid.info.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandFailedException;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.info.BatchStatus;
import org.vmgrid.info.InfoException;
import org.vmgrid.info.VmJobCounts;

/**
 * VM slots and VM jobs as SLURM sees them. VM-capable nodes carry the feature {@code vmgrid} and a
 * counting GRES {@code vmslot:<n>}; VM jobs carry a comment starting {@code vmgrid:} (the batch
 * directives of the admission module). Nodes that are down, drained or failing give no slots.
 */
public final class SlurmBatchStatus implements BatchStatus {

    static final String FEATURE = "vmgrid";
    private static final Pattern VMSLOT = Pattern.compile("(?:^|,)vmslot(?::[A-Za-z0-9_.-]+)?:(\\d+)");
    private static final Pattern UNAVAILABLE = Pattern.compile("(down|drain|drng|drained|draining|fail|failing|maint|future|unk|inval|boot).*|.*\\*");

    private final CommandRunner runner;
    private final Duration timeout;

    public SlurmBatchStatus(CommandRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    /** The squeue call: every pending or active job's state and comment. */
    static Command squeue(Duration timeout) {
        return Command.of(timeout, "squeue", "--noheader", "--all", "--states=PENDING,CONFIGURING,RUNNING,COMPLETING",
                "--format=%T|%k");
    }

    /** The sinfo call: one line per node and partition, with features, GRES and state. */
    static Command sinfo(Duration timeout) {
        return Command.of(timeout, "sinfo", "--noheader", "--Node", "--format=%N|%f|%G|%t");
    }

    @Override
    public VmJobCounts read() {
        String jobs = ask(squeue(timeout));
        String nodes = ask(sinfo(timeout));
        long running = 0;
        long waiting = 0;
        for (String line : jobs.split("\n")) {
            String[] f = line.strip().split("\\|", 2);
            if (f.length < 2 || !f[1].startsWith("vmgrid:")) {
                continue;
            }
            switch (f[0]) {
                case "PENDING" -> waiting++;
                case "CONFIGURING", "RUNNING", "COMPLETING" -> running++;
                default -> throw new InfoException("squeue reported an unexpected job state '" + f[0]
                        + "' (asked only for PENDING, CONFIGURING, RUNNING, COMPLETING); check the SLURM version");
            }
        }
        Map<String, Long> slotsByNode = new LinkedHashMap<>();
        for (String line : nodes.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.strip().split("\\|", -1);
            if (f.length != 4) {
                throw new InfoException("cannot read sinfo line '" + line.strip() + "': expected node|features|gres|state");
            }
            if (!java.util.Arrays.asList(f[1].split(",")).contains(FEATURE) || UNAVAILABLE.matcher(f[3]).matches()) {
                continue;
            }
            Matcher m = VMSLOT.matcher(f[2]);
            slotsByNode.put(f[0], m.find() ? Long.parseLong(m.group(1)) : 0L);
        }
        long total = slotsByNode.values().stream().mapToLong(Long::longValue).sum();
        return new VmJobCounts(total, running, waiting);
    }

    private String ask(Command c) {
        try {
            return runner.runChecked(c).stdoutText();
        } catch (CommandFailedException e) {
            throw new InfoException("cannot read VM slots and jobs from SLURM: " + e.getMessage()
                    + "; check that the SLURM client commands work on this host", e);
        }
    }
}
