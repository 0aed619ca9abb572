package org.vmgrid.glue;

import java.util.List;

/**
 * GLUE 2.0 ComputingService: the CE as a service, with the VM job counts.
 *
 * @param id globally unique service ID
 * @param name human-readable name
 * @param adminDomain the AdminDomain (site) ID the service belongs to
 * @param type service type, e.g. {@code org.glite.ce.CREAM}
 * @param qualityLevel {@code production}, {@code testing}, ...
 * @param capabilities GLUE 2.0 capabilities, e.g. {@code executionmanagement.dynamicvmdeploy}
 * @param runningJobs VM jobs running
 * @param waitingJobs VM jobs waiting in the batch system
 * @param otherInfo {@code Key=Value} strings
 */
public record ComputingService(String id, String name, String adminDomain, String type, String qualityLevel,
        List<String> capabilities, long runningJobs, long waitingJobs, List<String> otherInfo) {

    public ComputingService {
        capabilities = List.copyOf(capabilities);
        otherInfo = List.copyOf(otherInfo);
    }

    public long totalJobs() {
        return runningJobs + waitingJobs;
    }
}
