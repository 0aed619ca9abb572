package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.vmgrid.itests.SlurmVmNode.Job;

/**
 * A benchmark, not a test ({@code ./bench.sh} runs it; it asserts that every job ran, never how
 * fast): VM jobs submitted N at a time (N = 1, 2, 4, 8) to one worker node with 4 VM slots
 * ({@link SlurmVmNode}: SLURM with {@code vmslot:4}, the SPANK plugin, the pilot service, a private
 * libvirtd, the test appliance under TCG), each timed from its {@code sbatch} to its end in SLURM,
 * against N plain QEMU boots of the same appliance started at once (the boot floor,
 * {@code vm-pilot/appliance/bench-floor.sh}), interleaved N by N in each of {@code vmgrid.bench.runs}
 * rounds (default 3). A job or boot that fails (a guest that stops before its payload) is counted and
 * reported with its reason, not timed; the benchmark fails when every one of a round failed. With 8 jobs on 4 slots, half of the VM jobs queue in SLURM while all 8 floor
 * boots run at once: queueing is part of the result. The pilot service's resident memory
 * ({@code /proc/<pid>/status} of its exact PID) is read when it has started, when idle after a
 * first job, sampled every 250 ms under the runs, and its high-water mark at the end. Writes
 * {@code concurrency.md} (the tables), {@code concurrency.dat} (the plot's data) and
 * {@code memory-pilot.md} (the memory row) to {@code vmgrid.bench.out} (default {@code target/bench}).
 */
class ConcurrencyBench {

    private static final List<Integer> CONCURRENCY = List.of(1, 2, 4, 8);
    private static final String PAYLOAD_OUTPUT = "hello from the guest";
    private static final Path FLOOR = SlurmVmNode.ROOT.resolve("vm-pilot/appliance/bench-floor.sh");
    private static final Duration ROUND = Duration.ofMinutes(30);

    @Test
    void vmJobsAtOnceOnAFourSlotNodeAgainstAsManyPlainQemuBootsAndThePilotServicesMemory() throws Exception {
        int runs = Integer.getInteger("vmgrid.bench.runs", 3);
        Path out = Files.createDirectories(Path.of(System.getProperty("vmgrid.bench.out", "target/bench")));
        Map<Integer, List<Double>> floorJobs = new LinkedHashMap<>();
        Map<Integer, List<Double>> vmJobs = new LinkedHashMap<>();
        Map<Integer, List<Double>> floorSpans = new LinkedHashMap<>();
        Map<Integer, List<Double>> vmSpans = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (int n : CONCURRENCY) {
            floorJobs.put(n, new ArrayList<>());
            vmJobs.put(n, new ArrayList<>());
            floorSpans.put(n, new ArrayList<>());
            vmSpans.put(n, new ArrayList<>());
        }
        long pid;
        ProcStatus started;
        ProcStatus idle;
        AtomicLong peak = new AtomicLong(-1);
        ProcStatus end;
        try (SlurmVmNode node = SlurmVmNode.start("bench", 1800, "")) {
            pid = node.service().pid();
            started = ProcStatus.of(pid);
            Path floorDir = Files.createDirectories(node.shared.resolve("floor"));
            String iso = bash(". " + FLOOR + "; floor_context_iso " + floorDir).strip();
            // warm-up, not counted: the image fetched into the cache, libvirt's first QEMU probe
            vmRound(node, "warmup", 1, new ArrayList<>());
            floorRound(node, floorDir, iso, "warmup", 1, new ArrayList<>());
            idle = ProcStatus.of(pid);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    long rss = ProcStatus.of(pid).rssKib();
                    peak.accumulateAndGet(rss, Math::max);
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
            try {
                for (int r = 1; r <= runs; r++) {
                    for (int n : CONCURRENCY) {
                        List<Double> f = floorRound(node, floorDir, iso, "r" + r + "n" + n, n, failures);
                        floorJobs.get(n).addAll(f);
                        floorSpans.get(n).add(span(f));
                        List<Double> v = vmRound(node, "r" + r + "n" + n, n, failures);
                        vmJobs.get(n).addAll(v);
                        vmSpans.get(n).add(span(v));
                    }
                }
            } finally {
                sampler.interrupt();
                sampler.join(5000);
            }
            end = ProcStatus.of(pid);
            assertTrue(node.service().isAlive(), "the pilot service went away: " + node.serviceLog());
            node.assertNothingLeft(Duration.ofMinutes(2));
        }
        write(out, runs, floorJobs, vmJobs, floorSpans, vmSpans, failures);
        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        Files.writeString(out.resolve("memory-pilot.md"), String.format(Locale.ROOT,
                "| pilot service (`vmgrid serve` with `service.socket`, worker node) | %d | %s | %s | %s | %s | %s |%n", pid,
                BenchFigures.mib(started.rssKib()), BenchFigures.mib(idle.rssKib()), BenchFigures.mib(peak.get()),
                BenchFigures.mib(end.hwmKib()), load));
    }

    /** N plain QEMU boots started at once; each one's seconds from QEMU's start to its exit, as it times them. */
    private static List<Double> floorRound(SlurmVmNode node, Path dir, String iso, String name, int n, List<String> failures)
            throws Exception {
        List<Process> boots = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boots.add(new ProcessBuilder("bash", "-c", ". " + FLOOR + "; floor_boot_once " + node.appliance.image() + " "
                    + iso + " " + dir.resolve(name + "-" + i)).redirectError(dir.resolve(name + "-" + i + ".err").toFile())
                    .start());
        }
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Process p = boots.get(i);
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(ROUND.toSeconds(), TimeUnit.SECONDS), "floor boot " + name + "-" + i + " still runs");
            Path err = dir.resolve(name + "-" + i + ".err");
            if (p.exitValue() == 0) {
                seconds.add(Double.parseDouble(said));
            } else {
                failures.add("plain QEMU boot " + name + "-" + i + ": " + BenchFigures.lastLine(Files.readString(err)));
            }
            Files.delete(err);
        }
        assertFalse(seconds.isEmpty(), "every plain QEMU boot of round " + name + " failed: " + failures);
        return seconds;
    }

    /** N VM jobs submitted at once; each one's seconds from its sbatch to its end in SLURM. */
    private static List<Double> vmRound(SlurmVmNode node, String name, int n, List<String> failures) throws Exception {
        List<Job> jobs = new ArrayList<>();
        List<Long> submitted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            submitted.add(System.nanoTime());
            jobs.add(node.vmJob(name + "-" + i, "#!/bin/sh\necho " + PAYLOAD_OUTPUT + "\n"));
        }
        Map<String, Long> ended = new HashMap<>();
        Map<String, String> states = new HashMap<>();
        long deadline = System.nanoTime() + ROUND.toNanos();
        while (ended.size() < n) {
            if (System.nanoTime() > deadline) {
                fail("VM jobs of round " + name + " did not end within " + ROUND + ": " + node.diagnosis(jobs.get(0)));
            }
            String queue = node.slurm.slurm("squeue", "-h", "-t", "all", "-o", "%i %T").stdoutText();
            long now = System.nanoTime();
            for (String line : queue.lines().toList()) {
                String[] f = line.strip().split(" ");
                if (f.length == 2 && !ended.containsKey(f[0]) && isEnded(f[1])
                        && jobs.stream().anyMatch(j -> j.id().equals(f[0]))) {
                    ended.put(f[0], now);
                    states.put(f[0], f[1]);
                }
            }
            Thread.sleep(100);
        }
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Job j = jobs.get(i);
            if (states.get(j.id()).equals("COMPLETED")) {
                node.awaitOutput(j, PAYLOAD_OUTPUT, Duration.ofSeconds(30));
                seconds.add((ended.get(j.id()) - submitted.get(i)) / 1e9);
            } else {
                failures.add("VM job " + name + "-" + i + " " + states.get(j.id()) + ": " + BenchFigures.lastLine(j.output()));
            }
        }
        assertFalse(seconds.isEmpty(), "every VM job of round " + name + " failed: " + failures);
        return seconds;
    }

    private static boolean isEnded(String state) {
        return !(state.equals("PENDING") || state.equals("RUNNING") || state.equals("CONFIGURING")
                || state.equals("COMPLETING"));
    }

    /** The round's makespan: its longest job (all start within milliseconds of each other). */
    private static double span(List<Double> seconds) {
        return BenchFigures.max(seconds);
    }

    private static void write(Path out, int runs, Map<Integer, List<Double>> floorJobs, Map<Integer, List<Double>> vmJobs,
            Map<Integer, List<Double>> floorSpans, Map<Integer, List<Double>> vmSpans, List<String> failures)
            throws IOException {
        StringBuilder md = new StringBuilder();
        StringBuilder dat = new StringBuilder("# N floor_median_s vm_median_s ratio_median floor_makespan_s vm_makespan_s "
                + "ratio_makespan\n");
        md.append("| VM jobs at once (4 slots) | plain QEMU boot, s per job | VM job sbatch to end, s per job | "
                + "**ratio of medians** | makespan floor s | makespan VM s | ratio of makespans |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (int n : CONCURRENCY) {
            double f = BenchFigures.median(floorJobs.get(n));
            double v = BenchFigures.median(vmJobs.get(n));
            double fs = BenchFigures.median(floorSpans.get(n));
            double vs = BenchFigures.median(vmSpans.get(n));
            md.append(String.format(Locale.ROOT, "| %d%s | %s | %s | **%.2fx** | %.2f | %.2f | %.2fx |%n", n,
                    n > 4 ? " (queued)" : "", BenchFigures.spread(floorJobs.get(n)), BenchFigures.spread(vmJobs.get(n)),
                    v / f, fs, vs, vs / fs));
            dat.append(String.format(Locale.ROOT, "%d %.3f %.3f %.3f %.3f %.3f %.3f%n", n, f, v, v / f, fs, vs, vs / fs));
        }
        md.append(String.format(Locale.ROOT, "%nMedians (min-max) over %d rounds of N jobs each; makespans are medians "
                + "of the rounds' (first start to last end).%n", runs));
        md.append(String.format(Locale.ROOT, "%nFailed and not timed: %s%n", failures.isEmpty() ? "none."
                : failures.size() + " (below).\n\n- " + String.join("\n- ", failures)));
        Files.writeString(out.resolve("concurrency.md"), md.toString());
        Files.writeString(out.resolve("concurrency.dat"), dat.toString());
    }

    private static String bash(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), script);
        return said;
    }
}
