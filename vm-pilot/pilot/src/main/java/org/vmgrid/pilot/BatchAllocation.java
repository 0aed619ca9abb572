package org.vmgrid.pilot;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the batch system gave the job a process belongs to, as the kernel enforces it on the job's
 * cgroup: its memory limit (the smallest {@code memory.max}, or v1 {@code memory.limit_in_bytes},
 * from its cgroup up) and its CPUs (its cpuset, and its CPU quota). A job's VM is held to it, so a
 * job cannot get more VM than its slot: the guest's memory plus the site's overhead within the
 * memory limit, its CPUs within the job's. Read from {@code /proc/<pid>/cgroup} and the cgroup file
 * system, which the process's user cannot change (only the batch system moves a job's processes).
 * A process in no limited cgroup (a batch system that confines nothing) has no allocation to hold
 * to: the site's limits alone apply.
 *
 * @param memoryBytes the job's memory limit, when it has one
 * @param cpus how many CPUs the job may use, when that is limited
 * @param cgroup the process's cgroup (of the memory controller, or the unified hierarchy)
 * @param batchJob the batch system's job id, where the cgroup names it (SLURM's {@code job_<id>})
 */
public record BatchAllocation(OptionalLong memoryBytes, OptionalInt cpus, String cgroup, Optional<String> batchJob) {

    private static final Pattern SLURM_JOB = Pattern.compile("/job_([0-9]{1,18})(/|$)");
    /** v1 writes a page-rounded "no limit" (2^63 - 1 rounded down); anything this large is none. */
    private static final long UNLIMITED = 1L << 62;

    /** No allocation known. */
    public static BatchAllocation none() {
        return new BatchAllocation(OptionalLong.empty(), OptionalInt.empty(), "", Optional.empty());
    }

    /** The allocation of the process {@code pid} on this host. */
    public static BatchAllocation of(long pid) {
        return of(Path.of("/proc"), Path.of("/sys/fs/cgroup"), pid);
    }

    /** As {@link #of(long)} with the proc and cgroup file systems at other places (tests). */
    static BatchAllocation of(Path proc, Path cgroupFs, long pid) {
        List<String> lines;
        try {
            lines = Files.readAllLines(proc.resolve(Long.toString(pid)).resolve("cgroup"));
        } catch (IOException e) {
            throw new PilotException(FailureKind.HOST, "cannot read the cgroups of process " + pid + " (" + e.getMessage()
                    + "); the batch job's allocation cannot be known");
        }
        long memory = Long.MAX_VALUE;
        int cpus = Integer.MAX_VALUE;
        String cgroup = "";
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length != 3 || !f[2].startsWith("/") || f[2].contains("..")) {
                continue;
            }
            String path = f[2];
            if (f[0].equals("0") && f[1].isEmpty()) {
                Path root = Files.exists(cgroupFs.resolve("cgroup.controllers")) ? cgroupFs : cgroupFs.resolve("unified");
                Path leaf = under(root, path);
                memory = Math.min(memory, smallest(root, leaf, "memory.max"));
                cpus = Math.min(cpus, Math.min(cpuset(leaf.resolve("cpuset.cpus.effective")), quota(root, leaf)));
                if (cgroup.isEmpty()) {
                    cgroup = path;
                }
            } else {
                List<String> controllers = List.of(f[1].split(","));
                if (controllers.contains("memory")) {
                    Path root = mount(cgroupFs, f[1], "memory");
                    memory = Math.min(memory, smallest(root, under(root, path), "memory.limit_in_bytes"));
                    cgroup = path;
                }
                if (controllers.contains("cpuset")) {
                    Path root = mount(cgroupFs, f[1], "cpuset");
                    for (Path p = under(root, path); p != null && p.startsWith(root); p = p.getParent()) {
                        int n = cpuset(p.resolve("cpuset.cpus"));
                        if (n != Integer.MAX_VALUE) {
                            cpus = Math.min(cpus, n);
                            break;
                        }
                    }
                }
                if (controllers.contains("cpu")) {
                    Path root = mount(cgroupFs, f[1], "cpu");
                    cpus = Math.min(cpus, quotaV1(root, under(root, path)));
                }
            }
        }
        Matcher m = SLURM_JOB.matcher(cgroup);
        return new BatchAllocation(memory == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(memory),
                cpus == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(cpus), cgroup,
                m.find() ? Optional.of(m.group(1)) : Optional.empty());
    }

    /**
     * Holds a job's VM to this allocation.
     *
     * @param overheadMiB what the site reserves beyond the guest's memory ({@code overhead.memory})
     * @throws PilotException kind REFUSED saying what exceeds what
     */
    public void hold(PilotJob job, int overheadMiB) {
        int mem = job.vm().memoryMiB();
        if (memoryBytes.isPresent() && (long) (mem + overheadMiB) << 20 > memoryBytes.getAsLong()) {
            throw new PilotException(FailureKind.REFUSED, "--memory " + mem + " MiB and the site's overhead of "
                    + overheadMiB + " MiB exceed the batch job's memory of " + (memoryBytes.getAsLong() >> 20)
                    + " MiB (cgroup " + cgroup + "); ask for at most " + Math.max(0, (memoryBytes.getAsLong() >> 20)
                    - overheadMiB) + " MiB, or give the batch job more memory");
        }
        if (cpus.isPresent() && job.vm().cpus() > cpus.getAsInt()) {
            throw new PilotException(FailureKind.REFUSED, "--cpus " + job.vm().cpus() + " exceeds the batch job's "
                    + cpus.getAsInt() + " CPUs (cgroup " + cgroup + "); ask for at most " + cpus.getAsInt());
        }
    }

    private static Path under(Path root, String path) {
        return root.resolve(path.substring(1)).normalize();
    }

    /** The v1 controller's mount: named after its controllers ("cpu,cpuacct"), else after the controller. */
    private static Path mount(Path cgroupFs, String controllers, String controller) {
        Path joint = cgroupFs.resolve(controllers);
        return Files.isDirectory(joint) ? joint : cgroupFs.resolve(controller);
    }

    /** The smallest limit in {@code file} from {@code leaf} up to {@code root}. */
    private static long smallest(Path root, Path leaf, String file) {
        long min = Long.MAX_VALUE;
        for (Path p = leaf; p != null && p.startsWith(root); p = p.getParent()) {
            String v = read(p.resolve(file));
            if (v.matches("[0-9]{1,19}")) {
                long n = new BigInteger(v).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
                if (n < UNLIMITED) {
                    min = Math.min(min, n);
                }
            }
        }
        return min;
    }

    /** The number of CPUs a cpuset list ("0-3,6") names; none when the file is missing or empty. */
    private static int cpuset(Path file) {
        String v = read(file);
        if (v.isEmpty() || !v.matches("[0-9,-]+")) {
            return Integer.MAX_VALUE;
        }
        int n = 0;
        for (String range : v.split(",")) {
            String[] ab = range.split("-");
            n += ab.length == 2 ? Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1 : 1;
        }
        return n;
    }

    /** The CPUs a v2 {@code cpu.max} ("QUOTA PERIOD" or "max PERIOD") allows, the smallest up to the root. */
    private static int quota(Path root, Path leaf) {
        int min = Integer.MAX_VALUE;
        for (Path p = leaf; p != null && p.startsWith(root); p = p.getParent()) {
            String[] v = read(p.resolve("cpu.max")).split(" ");
            if (v.length == 2 && v[0].matches("[0-9]{1,18}") && v[1].matches("[1-9][0-9]{0,17}")) {
                min = Math.min(min, (int) Math.max(1, -Math.floorDiv(-Long.parseLong(v[0]), Long.parseLong(v[1]))));
            }
        }
        return min;
    }

    /** The same for v1's {@code cpu.cfs_quota_us} and {@code cpu.cfs_period_us}. */
    private static int quotaV1(Path root, Path leaf) {
        int min = Integer.MAX_VALUE;
        for (Path p = leaf; p != null && p.startsWith(root); p = p.getParent()) {
            String q = read(p.resolve("cpu.cfs_quota_us"));
            String per = read(p.resolve("cpu.cfs_period_us"));
            if (q.matches("[0-9]{1,18}") && per.matches("[1-9][0-9]{0,17}")) {
                min = Math.min(min, (int) Math.max(1, -Math.floorDiv(-Long.parseLong(q), Long.parseLong(per))));
            }
        }
        return min;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
