package org.vmgrid.glue;

import java.util.List;

/**
 * GLUE 1.3 CE entry.
 *
 * @param uniqueId {@code host:port/cream-<lrms>-<queue>}
 * @param name the queue
 * @param clusterId the hosting cluster's ID
 * @param hostName the CE host
 * @param port the CE port
 * @param lrmsType batch system
 * @param capabilities {@code GlueCECapability} values
 * @param accessControlBaseRules {@code VO:<name>} rules
 * @param runningJobs VM jobs running
 * @param waitingJobs VM jobs waiting
 * @param freeJobSlots free VM slots
 */
public record Glue13ComputingElement(String uniqueId, String name, String clusterId, String hostName, int port,
        String lrmsType, List<String> capabilities, List<String> accessControlBaseRules, long runningJobs,
        long waitingJobs, long freeJobSlots) {

    public Glue13ComputingElement {
        capabilities = List.copyOf(capabilities);
        accessControlBaseRules = List.copyOf(accessControlBaseRules);
    }
}
