package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch job's cgroup as a batch system with cgroup confinement makes it ({@code .../job_<id>},
 * a memory limit), made by the test under a directory of its own in the memory hierarchy (cgroup v2,
 * or v1's memory controller) and removed by {@link #close}. Processes started through
 * {@link #wrap} run in it, as a batch job's tasks do.
 */
public final class BatchJobCgroup implements AutoCloseable {

    private final Path top;
    private final Path job;

    /** @param memoryBytes the job's memory limit */
    public BatchJobCgroup(String batchJobId, long memoryBytes) throws IOException {
        Path fs = Path.of("/sys/fs/cgroup");
        boolean v2 = Files.exists(fs.resolve("cgroup.controllers"));
        Path root = v2 ? fs : fs.resolve("memory");
        top = root.resolve("vmgrid-test-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
        job = top.resolve("job_" + batchJobId);
        Files.createDirectory(top);
        if (v2) {
            Files.writeString(top.resolve("cgroup.subtree_control"), "+memory");
        }
        Files.createDirectory(job);
        Files.writeString(job.resolve(v2 ? "memory.max" : "memory.limit_in_bytes"), Long.toString(memoryBytes));
    }

    /** argv running {@code argv} in the job's cgroup (the test runs as root; the rest may drop to a user). */
    public List<String> wrap(List<String> argv) {
        List<String> a = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$1/cgroup.procs\" && shift && exec \"$@\"", "sh",
                job.toString()));
        a.addAll(argv);
        return a;
    }

    /** Removes the cgroups; every process started in them must have ended. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(job);
        Files.deleteIfExists(top);
    }
}
