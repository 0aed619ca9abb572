package org.vmgrid.pilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;

/** A batch job's allocation read from cgroup trees laid out as SLURM's cgroup plugins make them. */
class BatchAllocationTest {

    @TempDir
    Path tmp;

    private Path write(String path, String text) throws Exception {
        Path p = tmp.resolve(path);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    private static PilotJob job(int mem, int cpus) {
        ImageDescriptor image = new ImageDescriptor("11111111-2222-4333-8444-555555555555", "t", "1",
                URI.create("file:///i"), 1, "a".repeat(128), URI.create("file:///l"),
                Instant.parse("2030-01-01T00:00:00Z"), List.of());
        return new PilotJob("j", new VmRequest(image, mem, cpus, NetworkMode.NONE, ""), List.of("true"), Map.of(),
                Path.of("/w"), Duration.ofSeconds(1));
    }

    @Test
    void cgroupV2OfASlurmJobGivesItsMemoryItsCpusAndItsJobId() throws Exception {
        String job = "/system.slice/slurmstepd.scope/job_4242/step_batch/user/task_0";
        write("proc/77/cgroup", "0::" + job + "\n");
        write("cg/cgroup.controllers", "cpuset cpu memory\n");
        write("cg/system.slice/memory.max", "max\n");
        write("cg/system.slice/slurmstepd.scope/job_4242/memory.max", "805306368\n"); // 768 MiB
        write("cg/system.slice/slurmstepd.scope/job_4242/step_batch/memory.max", "max\n");
        write("cg" + job + "/cpuset.cpus.effective", "2-3\n");
        write("cg/system.slice/slurmstepd.scope/job_4242/cpu.max", "max 100000\n");
        BatchAllocation a = BatchAllocation.of(tmp.resolve("proc"), tmp.resolve("cg"), 77);
        assertEquals(OptionalLong.of(768L << 20), a.memoryBytes());
        assertEquals(OptionalInt.of(2), a.cpus());
        assertEquals(Optional.of("4242"), a.batchJob());
        a.hold(job(512, 2), 256);
        PilotException e = assertThrows(PilotException.class, () -> a.hold(job(513, 1), 256));
        assertEquals(FailureKind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("exceed the batch job's memory of 768 MiB (cgroup " + job
                + "); ask for at most 512 MiB"), e.getMessage());
        e = assertThrows(PilotException.class, () -> a.hold(job(128, 3), 256));
        assertTrue(e.getMessage().contains("--cpus 3 exceeds the batch job's 2 CPUs"), e.getMessage());
    }

    @Test
    void cgroupV1GivesTheSmallestMemoryLimitTheCpusetAndTheQuota() throws Exception {
        write("proc/9/cgroup", "4:memory:/slurm/uid_10001/job_17/step_batch\n3:cpuset:/slurm/uid_10001/job_17\n"
                + "2:cpu,cpuacct:/slurm/uid_10001/job_17\n0::/\n");
        write("cg/memory/slurm/uid_10001/job_17/memory.limit_in_bytes", "1073741824\n");
        write("cg/memory/slurm/uid_10001/job_17/step_batch/memory.limit_in_bytes", "9223372036854771712\n");
        write("cg/cpuset/slurm/uid_10001/job_17/cpuset.cpus", "0-7\n");
        write("cg/cpu,cpuacct/slurm/uid_10001/job_17/cpu.cfs_quota_us", "150000\n");
        write("cg/cpu,cpuacct/slurm/uid_10001/job_17/cpu.cfs_period_us", "100000\n");
        BatchAllocation a = BatchAllocation.of(tmp.resolve("proc"), tmp.resolve("cg"), 9);
        assertEquals(OptionalLong.of(1L << 30), a.memoryBytes());
        assertEquals(OptionalInt.of(2), a.cpus(), "1.5 CPUs of quota: two virtual CPUs");
        assertEquals(Optional.of("17"), a.batchJob());
    }

    @Test
    void aProcessInNoLimitedCgroupHasNoAllocationToHoldTo() throws Exception {
        write("proc/5/cgroup", "4:memory:/\n0::/\n");
        write("cg/memory/memory.limit_in_bytes", "9223372036854771712\n");
        BatchAllocation a = BatchAllocation.of(tmp.resolve("proc"), tmp.resolve("cg"), 5);
        assertEquals(OptionalLong.empty(), a.memoryBytes());
        assertEquals(OptionalInt.empty(), a.cpus());
        a.hold(job(100_000, 64), 256);
    }

    @Test
    void aCgroupPathThatClimbsOutOfTheTreeIsIgnored() throws Exception {
        write("proc/6/cgroup", "4:memory:/../../etc\n");
        assertEquals(OptionalLong.empty(), BatchAllocation.of(tmp.resolve("proc"), tmp.resolve("cg"), 6).memoryBytes());
    }
}
