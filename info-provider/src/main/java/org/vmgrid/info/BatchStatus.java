package org.vmgrid.info;

/** Our small interface over the batch system's view of VM slots and VM jobs. */
public interface BatchStatus {

    /**
     * Asks the batch system now.
     *
     * @throws InfoException when it cannot be asked or answers something unreadable
     */
    VmJobCounts read();
}
