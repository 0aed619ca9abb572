package org.vmgrid.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.NetworkMode;

class VmgridRuntimeEnvironmentsTest {

    static ArcJob job(OptionalLong memory, OptionalLong slots, RuntimeEnvironmentRequest... rtes) {
        return new ArcJob("xRSL", List.of(rtes), memory, slots);
    }

    static ArcJob job(RuntimeEnvironmentRequest... rtes) {
        return job(OptionalLong.empty(), OptionalLong.empty(), rtes);
    }

    static RuntimeEnvironmentRequest rte(String name, String... options) {
        return new RuntimeEnvironmentRequest(name, List.of(options));
    }

    @Test
    void aJobWithoutVmgridsRuntimeEnvironmentsAsksForNoVm() {
        assertEquals(Optional.empty(), VmgridRuntimeEnvironments.read(job(rte("ENV/SINGULARITY", "x"), rte("APPS/VMGRIDX"))));
    }

    @Test
    void theImageAloneOrWithOptions() {
        assertEquals(new ArcVmRequest("debian-test", "VMGRID/IMAGE/debian-test", OptionalInt.empty(), OptionalInt.of(1),
                Optional.empty()), VmgridRuntimeEnvironments.read(job(rte("VMGRID/IMAGE/debian-test"))).orElseThrow());
        ArcVmRequest r = VmgridRuntimeEnvironments.read(job(rte("ENV/VMGRID", "network=outbound", "cpus=2", "memory=512"),
                rte("VMGRID/IMAGE/3F8B5C2E-9A41-4D7E-8C3B-1F2A6D9E0B47"))).orElseThrow();
        assertEquals(new ArcVmRequest("3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47",
                "VMGRID/IMAGE/3F8B5C2E-9A41-4D7E-8C3B-1F2A6D9E0B47", OptionalInt.of(512), OptionalInt.of(2),
                Optional.of(NetworkMode.OUTBOUND)), r);
    }

    @Test
    void theJobsOwnMemoryAndCountSizeTheVmUnlessTheOptionsSay() {
        ArcVmRequest r = VmgridRuntimeEnvironments.read(job(OptionalLong.of(300), OptionalLong.of(2),
                rte("VMGRID/IMAGE/debian-test"))).orElseThrow();
        assertEquals(OptionalInt.of(300), r.memoryMiB());
        assertEquals(OptionalInt.of(2), r.cpus());
        assertEquals(OptionalInt.of(300), VmgridRuntimeEnvironments.read(job(OptionalLong.of(300), OptionalLong.empty(),
                rte("VMGRID/IMAGE/debian-test"), rte("ENV/VMGRID", "memory=300"))).orElseThrow().memoryMiB());
        refused("ENV/VMGRID memory=512 and the job's (memory) of 300 disagree", job(OptionalLong.of(300),
                OptionalLong.empty(), rte("VMGRID/IMAGE/debian-test"), rte("ENV/VMGRID", "memory=512")));
        refused("ENV/VMGRID cpus=1 and the job's (count) of 4 disagree", job(OptionalLong.empty(), OptionalLong.of(4),
                rte("VMGRID/IMAGE/debian-test"), rte("ENV/VMGRID", "cpus=1")));
    }

    @Test
    void whatCannotBeReadIsRefusedWithWhatToWrite() {
        refused("ENV/VMGRID needs the image too", job(rte("ENV/VMGRID", "memory=512")));
        refused("a job runs in one VM", job(rte("VMGRID/IMAGE/a"), rte("VMGRID/IMAGE/b")));
        refused("ENV/VMGRID is asked for 2 times", job(rte("VMGRID/IMAGE/a"), rte("ENV/VMGRID"), rte("ENV/VMGRID")));
        refused("VMGRID/IMAGE/a takes no options", job(rte("VMGRID/IMAGE/a", "memory=1")));
        refused("\"VMGRID/TOOLS\" is not one of vmgrid's", job(rte("VMGRID/TOOLS")));
        refused("names are case-sensitive; write VMGRID/IMAGE/<image>", job(rte("vmgrid/image/a")));
        refused("names are case-sensitive; write ENV/VMGRID", job(rte("VMGRID/IMAGE/a"), rte("env/vmgrid")));
        refused("names no image", job(rte("VMGRID/IMAGE/../../etc/passwd")));
        refused("names no image", job(rte("VMGRID/IMAGE/")));
        refused("option memory must be a whole number of MiB", job(rte("VMGRID/IMAGE/a"), rte("ENV/VMGRID", "memory=2G")));
        refused("option cpus must be a whole number", job(rte("VMGRID/IMAGE/a"), rte("ENV/VMGRID", "cpus=0")));
        refused("network must be none or outbound, is \"Outbound\"", job(rte("VMGRID/IMAGE/a"),
                rte("ENV/VMGRID", "network=Outbound")));
        refused("option cpus must be a whole number of CPUs, such as cpus=2, is \"2 x\"", job(rte("VMGRID/IMAGE/a"),
                rte("ENV/VMGRID", "cpus=2 x")));
        refused("option \"cores=2\" is not one vmgrid knows", job(rte("VMGRID/IMAGE/a"), rte("ENV/VMGRID", "cores=2")));
        refused("option memory is given twice", job(rte("VMGRID/IMAGE/a"), rte("ENV/VMGRID", "memory=1", "memory=1")));
        refused("option \"$(touch /tmp/x)\" is not one", job(rte("VMGRID/IMAGE/a"), rte("ENV/VMGRID", "$(touch /tmp/x)")));
    }

    private static void refused(String part, ArcJob job) {
        ArcDescriptionException e = assertThrows(ArcDescriptionException.class, () -> VmgridRuntimeEnvironments.read(job));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
