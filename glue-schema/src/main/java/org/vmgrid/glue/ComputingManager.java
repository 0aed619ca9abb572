package org.vmgrid.glue;

/**
 * GLUE 2.0 ComputingManager: the batch system behind the CE.
 *
 * @param id globally unique manager ID
 * @param productName batch system, e.g. {@code slurm}
 * @param productVersion its version, empty when unknown
 * @param totalSlots VM slots of the VM-capable nodes
 * @param slotsUsedByGridJobs VM slots taken by running VM jobs
 */
public record ComputingManager(String id, String productName, String productVersion, long totalSlots,
        long slotsUsedByGridJobs) {
}
