package org.vmgrid.glue;

import java.util.List;

/**
 * GLUE 2.0 ExecutionEnvironment: what a job's virtual machine offers.
 *
 * @param id globally unique resource ID
 * @param platform e.g. {@code amd64}
 * @param virtualMachine true: jobs run in a virtual machine
 * @param totalInstances VM slots in total
 * @param usedInstances VM slots in use
 * @param logicalCpus the most CPUs one VM may have
 * @param cpuVendor host CPU vendor
 * @param cpuModel host CPU model
 * @param cpuClockSpeedMhz host CPU clock speed in MHz
 * @param mainMemoryMiB the most memory one VM may have, MiB
 * @param osFamily e.g. {@code linux}
 * @param osName e.g. {@code debian}
 * @param osVersion e.g. {@code 12}
 * @param connectivityIn whether a VM may accept inbound connections
 * @param connectivityOut whether a VM may open outbound connections
 * @param otherInfo {@code Key=Value} strings (hypervisor, ...)
 */
public record ExecutionEnvironment(String id, String platform, boolean virtualMachine, long totalInstances,
        long usedInstances, long logicalCpus, String cpuVendor, String cpuModel, long cpuClockSpeedMhz,
        long mainMemoryMiB, String osFamily, String osName, String osVersion, boolean connectivityIn,
        boolean connectivityOut, List<String> otherInfo) {

    public ExecutionEnvironment {
        otherInfo = List.copyOf(otherInfo);
    }
}
