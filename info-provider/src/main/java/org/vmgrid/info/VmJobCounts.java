package org.vmgrid.info;

/**
 * The dynamic part of what is published: VM slots and VM jobs.
 *
 * @param totalSlots VM slots of the VM-capable nodes that are up
 * @param running VM jobs running (or starting)
 * @param waiting VM jobs waiting in the batch system
 */
public record VmJobCounts(long totalSlots, long running, long waiting) {

    public VmJobCounts {
        if (totalSlots < 0 || running < 0 || waiting < 0) {
            throw new IllegalArgumentException("VM job counts cannot be negative: " + totalSlots + "/" + running + "/" + waiting);
        }
    }

    /** Before the batch system was asked: the configured slots, nothing running or waiting. */
    public static VmJobCounts configured(long totalSlots) {
        return new VmJobCounts(totalSlots, 0, 0);
    }

    /** Free VM slots; never negative (jobs may overrun a slot count that just shrank). */
    public long free() {
        return Math.max(0, totalSlots - running);
    }

    /** Slots in use, at most the total. */
    public long used() {
        return Math.min(totalSlots, running);
    }
}
