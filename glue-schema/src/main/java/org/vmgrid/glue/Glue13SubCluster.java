package org.vmgrid.glue;

import java.util.List;

/**
 * GLUE 1.3 Cluster with its one SubCluster, whose run-time environment tags carry the VM
 * capability and the images.
 *
 * @param clusterId cluster and subcluster ID
 * @param name cluster name
 * @param runTimeEnvironments {@code GlueHostApplicationSoftwareRunTimeEnvironment} tags
 * @param platform e.g. {@code x86_64}
 * @param osName the operating system's name
 * @param osRelease its release
 * @param osVersion its version
 * @param ramSizeMiB the most memory one VM may have
 * @param logicalCpus the most CPUs one VM may have
 */
public record Glue13SubCluster(String clusterId, String name, List<String> runTimeEnvironments, String platform,
        String osName, String osRelease, String osVersion, long ramSizeMiB, long logicalCpus) {

    public Glue13SubCluster {
        runTimeEnvironments = List.copyOf(runTimeEnvironments);
    }
}
