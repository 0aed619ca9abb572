package org.vmgrid.arc;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;
import org.vmgrid.config.LimitsSection;

/**
 * The site values the runtime environment scripts carry, each checked here against what may stand
 * in a single-quoted shell word and in an {@code #SBATCH} line.
 *
 * @param vmgridCommand the {@code vmgrid} launcher on the worker nodes
 * @param pilotSocket the worker nodes' pilot service socket ({@code service.socket} of pilot.properties)
 * @param memoryDefaultMiB the VM's memory when the job names none
 * @param overheadMiB memory the batch system reserves beyond the guest's (QEMU's own)
 * @param nodeSelection the batch options that choose a VM-capable node (SLURM: feature and VM slot)
 */
public record RteSite(Path vmgridCommand, Path pilotSocket, int memoryDefaultMiB, int overheadMiB,
        String nodeSelection) {

    /** What a path in a script may be made of: absolute, no quote, blank or shell syntax. */
    static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/+-]{0,1023}");
    /** What the node selection may be made of: options and values, no quote or shell syntax. */
    static final Pattern OPTIONS = Pattern.compile("--[a-z][a-z-]*=[A-Za-z0-9._:,+-]+( --[a-z][a-z-]*=[A-Za-z0-9._:,+-]+)*");
    /** SLURM's node selection for a VM job: a node with feature {@code vmgrid} and one free VM slot. */
    public static final String SLURM_NODE_SELECTION = "--constraint=vmgrid --gres=vmslot:1";

    public RteSite {
        Objects.requireNonNull(vmgridCommand, "vmgridCommand");
        Objects.requireNonNull(pilotSocket, "pilotSocket");
        check("the vmgrid command", vmgridCommand.toString(), PATH);
        check("the pilot service socket", pilotSocket.toString(), PATH);
        check("the node selection", nodeSelection, OPTIONS);
        if (memoryDefaultMiB < LimitsSection.MIN_MEMORY_MIB || memoryDefaultMiB > 999_999 || overheadMiB < 0
                || overheadMiB > 1 << 16) {
            throw new IllegalArgumentException("memory default " + memoryDefaultMiB + " MiB or overhead " + overheadMiB
                    + " MiB is out of range");
        }
    }

    /** The values of a site's limits, for SLURM. */
    public static RteSite of(Path vmgridCommand, Path pilotSocket, LimitsSection limits) {
        return new RteSite(vmgridCommand, pilotSocket, limits.memoryDefaultMiB(), limits.overheadMemoryMiB(),
                SLURM_NODE_SELECTION);
    }

    private static void check(String what, String value, Pattern p) {
        if (!p.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value.replaceAll("[^\\x20-\\x7e]", "?") + "' cannot be written "
                    + "into a runtime environment script (allowed: " + p.pattern() + ")");
        }
    }
}
