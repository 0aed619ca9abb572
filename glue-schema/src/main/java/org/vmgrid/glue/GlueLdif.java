package org.vmgrid.glue;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps the typed GLUE values to LDAP entries under the resource BDII's suffixes
 * ({@code mds-vo-name=resource,o=grid} for GLUE 1.3, {@code GLUE2GroupID=resource,o=glue} for
 * GLUE 2.0), parents before children, and no deeper than needed: ApplicationEnvironments and
 * their ApplicationHandles are leaves under the ComputingManager, so an image that goes away is two
 * leaf deletions. Attribute and object class names are checked against the
 * installed LDAP schemas by this module's tests.
 */
public final class GlueLdif {

    public static final Dn GLUE13_SUFFIX = Dn.suffix("mds-vo-name=resource,o=grid");
    public static final Dn GLUE2_SUFFIX = Dn.suffix("GLUE2GroupID=resource,o=glue");

    /** GLUE 1.3: the CE, its cluster and the subcluster carrying the tags. */
    public List<LdifEntry> glue13(Glue13ComputingElement ce, Glue13SubCluster sc) {
        List<LdifEntry> out = new ArrayList<>();
        Dn cluster = GLUE13_SUFFIX.child("GlueClusterUniqueID", sc.clusterId());
        out.add(LdifEntry.builder(GLUE13_SUFFIX.child("GlueCEUniqueID", ce.uniqueId()))
                .add("objectClass", "GlueCETop", "GlueCE", "GlueCEInfo", "GlueCEState", "GlueKey",
                        "GlueSchemaVersion")
                .add("GlueCEUniqueID", ce.uniqueId())
                .add("GlueCEName", ce.name())
                .add("GlueCEHostingCluster", ce.clusterId())
                .add("GlueCEImplementationName", "CREAM")
                .add("GlueCECapability", ce.capabilities())
                .add("GlueCEInfoLRMSType", ce.lrmsType())
                .add("GlueCEInfoHostName", ce.hostName())
                .add("GlueCEInfoGatekeeperPort", ce.port())
                .add("GlueCEStateStatus", "Production")
                .add("GlueCEStateRunningJobs", ce.runningJobs())
                .add("GlueCEStateWaitingJobs", ce.waitingJobs())
                .add("GlueCEStateTotalJobs", ce.runningJobs() + ce.waitingJobs())
                .add("GlueCEStateFreeJobSlots", ce.freeJobSlots())
                .add("GlueCEAccessControlBaseRule", ce.accessControlBaseRules())
                .add("GlueForeignKey", "GlueClusterUniqueID=" + ce.clusterId())
                .add("GlueSchemaVersionMajor", "1").add("GlueSchemaVersionMinor", "3")
                .build());
        out.add(LdifEntry.builder(cluster)
                .add("objectClass", "GlueClusterTop", "GlueCluster", "GlueKey", "GlueSchemaVersion")
                .add("GlueClusterUniqueID", sc.clusterId())
                .add("GlueClusterName", sc.name())
                .add("GlueClusterService", ce.uniqueId())
                .add("GlueForeignKey", "GlueCEUniqueID=" + ce.uniqueId())
                .add("GlueSchemaVersionMajor", "1").add("GlueSchemaVersionMinor", "3")
                .build());
        out.add(LdifEntry.builder(cluster.child("GlueSubClusterUniqueID", sc.clusterId()))
                .add("objectClass", "GlueClusterTop", "GlueSubCluster", "GlueHostApplicationSoftware",
                        "GlueHostArchitecture", "GlueHostMainMemory", "GlueHostOperatingSystem", "GlueKey",
                        "GlueSchemaVersion")
                .add("GlueSubClusterUniqueID", sc.clusterId())
                .add("GlueSubClusterName", sc.name())
                .add("GlueSubClusterLogicalCPUs", sc.logicalCpus())
                .add("GlueHostApplicationSoftwareRunTimeEnvironment", sc.runTimeEnvironments())
                .add("GlueHostArchitecturePlatformType", sc.platform())
                .add("GlueHostMainMemoryRAMSize", sc.ramSizeMiB())
                .add("GlueHostOperatingSystemName", sc.osName())
                .add("GlueHostOperatingSystemRelease", sc.osRelease())
                .add("GlueHostOperatingSystemVersion", sc.osVersion())
                .add("GlueChunkKey", "GlueClusterUniqueID=" + sc.clusterId())
                .add("GlueSchemaVersionMajor", "1").add("GlueSchemaVersionMinor", "3")
                .build());
        return out;
    }

    /** GLUE 2.0: service, manager, execution environment, then each ApplicationEnvironment and its handles. */
    public List<LdifEntry> glue2(Glue2ComputingSite site) {
        List<LdifEntry> out = new ArrayList<>();
        ComputingService s = site.service();
        ComputingManager m = site.manager();
        ExecutionEnvironment e = site.environment();
        Dn service = GLUE2_SUFFIX.child("GLUE2ServiceID", s.id());
        Dn manager = service.child("GLUE2ManagerID", m.id());
        out.add(LdifEntry.builder(service)
                .add("objectClass", "GLUE2Service", "GLUE2ComputingService")
                .add("GLUE2ServiceID", s.id())
                .add("GLUE2EntityName", s.name())
                .add("GLUE2EntityOtherInfo", s.otherInfo())
                .add("GLUE2ServiceCapability", s.capabilities())
                .add("GLUE2ServiceType", s.type())
                .add("GLUE2ServiceQualityLevel", s.qualityLevel())
                .add("GLUE2ServiceAdminDomainForeignKey", s.adminDomain())
                .add("GLUE2ComputingServiceTotalJobs", s.totalJobs())
                .add("GLUE2ComputingServiceRunningJobs", s.runningJobs())
                .add("GLUE2ComputingServiceWaitingJobs", s.waitingJobs())
                .build());
        out.add(LdifEntry.builder(manager)
                .add("objectClass", "GLUE2Manager", "GLUE2ComputingManager")
                .add("GLUE2ManagerID", m.id())
                .add("GLUE2ManagerProductName", m.productName())
                .add("GLUE2ManagerProductVersion", m.productVersion())
                .add("GLUE2ManagerServiceForeignKey", s.id())
                .add("GLUE2ComputingManagerComputingServiceForeignKey", s.id())
                .add("GLUE2ComputingManagerTotalSlots", m.totalSlots())
                .add("GLUE2ComputingManagerSlotsUsedByGridJobs", m.slotsUsedByGridJobs())
                .build());
        out.add(executionEnvironment(manager, m.id(), e));
        out.addAll(applications(manager, m.id(), e.id(), site.applications()));
        return out;
    }

    /**
     * GLUE 2.0 entries a vmgrid provider adds to another CE's ComputingManager (A-REX's): the VM
     * ExecutionEnvironment and the images' ApplicationEnvironments with their handles, in the groups
     * that CE keeps them in ({@code GLUE2GroupID=ExecutionEnvironments} and
     * {@code GLUE2GroupID=ApplicationEnvironments} under the manager).
     */
    public List<LdifEntry> glue2Resources(Dn manager, String managerId, ExecutionEnvironment e,
            List<ApplicationEnvironment> applications) {
        List<LdifEntry> out = new ArrayList<>();
        out.add(executionEnvironment(manager.child("GLUE2GroupID", "ExecutionEnvironments"), managerId, e));
        out.addAll(applications(manager.child("GLUE2GroupID", "ApplicationEnvironments"), managerId, e.id(), applications));
        return out;
    }

    private static LdifEntry executionEnvironment(Dn parent, String managerId, ExecutionEnvironment e) {
        return LdifEntry.builder(parent.child("GLUE2ResourceID", e.id()))
                .add("objectClass", "GLUE2Resource", "GLUE2ExecutionEnvironment")
                .add("GLUE2ResourceID", e.id())
                .add("GLUE2EntityOtherInfo", e.otherInfo())
                .add("GLUE2ResourceManagerForeignKey", managerId)
                .add("GLUE2ExecutionEnvironmentComputingManagerForeignKey", managerId)
                .add("GLUE2ExecutionEnvironmentPlatform", e.platform())
                .add("GLUE2ExecutionEnvironmentVirtualMachine", bool(e.virtualMachine()))
                .add("GLUE2ExecutionEnvironmentTotalInstances", e.totalInstances())
                .add("GLUE2ExecutionEnvironmentUsedInstances", e.usedInstances())
                .add("GLUE2ExecutionEnvironmentLogicalCPUs", e.logicalCpus())
                .add("GLUE2ExecutionEnvironmentCPUVendor", e.cpuVendor())
                .add("GLUE2ExecutionEnvironmentCPUModel", e.cpuModel())
                .add("GLUE2ExecutionEnvironmentCPUClockSpeed", e.cpuClockSpeedMhz())
                .add("GLUE2ExecutionEnvironmentMainMemorySize", e.mainMemoryMiB())
                .add("GLUE2ExecutionEnvironmentOSFamily", e.osFamily())
                .add("GLUE2ExecutionEnvironmentOSName", e.osName())
                .add("GLUE2ExecutionEnvironmentOSVersion", e.osVersion())
                .add("GLUE2ExecutionEnvironmentConnectivityIn", bool(e.connectivityIn()))
                .add("GLUE2ExecutionEnvironmentConnectivityOut", bool(e.connectivityOut()))
                .build();
    }

    private static List<LdifEntry> applications(Dn parent, String managerId, String environmentId,
            List<ApplicationEnvironment> applications) {
        List<LdifEntry> out = new ArrayList<>();
        for (ApplicationEnvironment a : applications) {
            out.add(LdifEntry.builder(parent.child("GLUE2ApplicationEnvironmentID", a.id()))
                    .add("objectClass", "GLUE2ApplicationEnvironment")
                    .add("GLUE2ApplicationEnvironmentID", a.id())
                    .add("GLUE2EntityName", a.appName())
                    .add("GLUE2EntityOtherInfo", a.otherInfo())
                    .add("GLUE2ApplicationEnvironmentAppName", a.appName())
                    .add("GLUE2ApplicationEnvironmentAppVersion", a.appVersion())
                    .add("GLUE2ApplicationEnvironmentState", a.state())
                    .add("GLUE2ApplicationEnvironmentDescription", a.description())
                    .add("GLUE2ApplicationEnvironmentComputingManagerForeignKey", managerId)
                    .add("GLUE2ApplicationEnvironmentExecutionEnvironmentForeignKey", environmentId)
                    .build());
            for (ApplicationHandle h : a.handles()) {
                // a sibling of its environment, not a child: bdii-update 6.0.0 deletes in no particular
                // order, and slapd refuses to delete an entry that still has children
                out.add(LdifEntry.builder(parent.child("GLUE2ApplicationHandleID", h.id()))
                        .add("objectClass", "GLUE2ApplicationHandle")
                        .add("GLUE2ApplicationHandleID", h.id())
                        .add("GLUE2ApplicationHandleType", h.type())
                        .add("GLUE2ApplicationHandleValue", h.value())
                        .add("GLUE2ApplicationHandleApplicationEnvironmentForeignKey", a.id())
                        .build());
            }
        }
        return out;
    }

    private static String bool(boolean b) {
        return b ? "TRUE" : "FALSE";
    }
}
