package org.vmgrid.arcitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * A benchmark, not a test ({@code ./bench.sh} runs it; it asserts that the jobs ran, never how
 * fast): an ARC job's time from {@code arcsub} to FINISHED in A-REX's control directory, the same
 * payload as a plain job and as a VM job, interleaved in one run with a plain QEMU boot of the same
 * appliance (the boot floor, {@code vm-pilot/appliance/bench-floor.sh}). Goal: a VM job takes at
 * most the boot floor plus 1 s longer than the plain job. Medians of {@code vmgrid.bench.runs} rounds
 * (default 5); the table goes to stdout and {@code target/arc-bench.md}.
 */
class ArcSubmitBench {

    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();
    private static final String PAYLOAD = "(executable=\"/bin/sh\")(arguments=\"-c\" \"echo hello; echo made > out.txt\")"
            + "(stdout=\"stdout.txt\")(outputfiles=(\"out.txt\" \"\"))(walltime=\"10 minutes\")";

    @Test
    void submitToFinishedOfAVmJobNextToThePlainJobAndTheBootFloor() throws Exception {
        int runs = Integer.getInteger("vmgrid.bench.runs", 5);
        List<Double> floor = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        List<Double> vm = new ArrayList<>();
        List<long[]> plainSteps = new ArrayList<>();
        List<long[]> vmSteps = new ArrayList<>();
        try (ArcVmSite s = ArcVmSite.start()) {
            Path work = s.shared.resolve("floor");
            Files.createDirectories(work);
            String iso = bash(". " + ArcVmSite.ROOT.resolve("vm-pilot/appliance/bench-floor.sh") + "; floor_context_iso "
                    + work).strip();
            submitToFinished(s, "&" + PAYLOAD, new ArrayList<>()); // warm-up: first JVMs, caches, image copy
            submitToFinished(s, "&" + PAYLOAD + vmgridRtes(), new ArrayList<>());
            for (int i = 0; i < runs; i++) {
                floor.add(Double.parseDouble(bash(". " + ArcVmSite.ROOT.resolve("vm-pilot/appliance/bench-floor.sh")
                        + "; floor_boot_once " + s.appliance.image() + " " + iso + " " + work.resolve("run" + i)).strip()));
                plain.add(submitToFinished(s, "&" + PAYLOAD, plainSteps));
                vm.add(submitToFinished(s, "&" + PAYLOAD + vmgridRtes(), vmSteps));
            }
        }
        double f = median(floor);
        double p = median(plain);
        double v = median(vm);
        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        StringBuilder t = new StringBuilder();
        t.append("## ARC CE: arcsub to FINISHED (A-REX with the loopback SLURM, slurm_wakeupperiod 3 s; ").append(runs)
                .append(" rounds, ").append(Runtime.getRuntime().availableProcessors()).append(" cores, load ").append(load)
                .append(")\n\n| what | median s | min s | max s |\n|---|---|---|---|\n");
        row(t, "plain job", plain);
        row(t, "VM job (VMGRID/IMAGE/, pilot service, TCG)", vm);
        row(t, "appliance boot floor (plain QEMU)", floor);
        t.append(String.format(Locale.ROOT, "%nVM job - plain job: %.2f s; boot floor + 1 s: %.2f s; goal %s.%n", v - p,
                f + 1, v - p <= f + 1 ? "met" : "not met"));
        t.append("\nWhere the time goes (medians, whole seconds as A-REX and SLURM log them):\n\n"
                + "| step | plain job s | VM job s |\n|---|---|---|\n");
        String[] steps = {"ACCEPTED to SUBMIT (the state callout at PREPARING)", "SUBMIT to INLRMS (submit-SLURM-job, "
                + "RTE stage 0, sbatch)", "INLRMS to the batch job's start", "the batch job (SLURM StartTime to EndTime)",
                "its end to FINISHED (A-REX's SLURM scan)"};
        for (int i = 0; i < steps.length; i++) {
            t.append("| ").append(steps[i]).append(" | ").append(medianStep(plainSteps, i)).append(" | ")
                    .append(medianStep(vmSteps, i)).append(" |\n");
        }
        System.out.println(t);
        Files.writeString(Path.of("target/arc-bench.md"), t.toString());
    }

    private static String vmgridRtes() {
        return "(runtimeenvironment=\"VMGRID/IMAGE/" + ArcVmSite.ALIAS + "\")(runtimeenvironment=\"ENV/VMGRID\" \"memory=128\")";
    }

    /** Seconds from arcsub to FINISHED in A-REX's control directory (arcstat lags by an infoprovider period). */
    private static double submitToFinished(ArcVmSite s, String xrsl, List<long[]> steps) throws Exception {
        long t0 = System.nanoTime();
        String job = s.client.submit("bench", xrsl);
        String id = job.substring(job.lastIndexOf('/') + 1);
        Path status = s.arc.settings().control().resolve("finished/job." + id + ".status");
        long deadline = t0 + Duration.ofMinutes(6).toNanos();
        while (!(Files.exists(status) && Files.readString(status).strip().equals("FINISHED"))) {
            assertTrue(System.nanoTime() < deadline, "job " + id + " did not finish: " + s.client.arccatLog(job).stdoutText());
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        steps.add(steps(s, id));
        // arcget downloads only what the client sees finished, which lags by an infoprovider period
        s.client.awaitFinalState(job, Duration.ofMinutes(2));
        CommandResult get = s.client.arcget(job);
        assertEquals(0, get.exitCode(), get.stdoutText() + get.stderrText());
        assertEquals("made\n", Files.readString(s.client.downloaded(job).resolve("out.txt")), "the payload ran");
        return seconds;
    }

    /** Whole seconds of each step, from A-REX's job log and SLURM's record of the batch job. */
    private static long[] steps(ArcVmSite s, String id) throws Exception {
        java.util.Map<String, java.time.Instant> at = new java.util.HashMap<>();
        java.util.regex.Pattern change = java.util.regex.Pattern.compile("^(\\S+Z) Job state change (\\S+) -> (\\S+)");
        for (String l : Files.readAllLines(s.arc.settings().control().resolve("job." + id + ".errors"))) {
            java.util.regex.Matcher m = change.matcher(l);
            if (m.find()) {
                at.putIfAbsent(m.group(3), java.time.Instant.parse(m.group(1)));
            }
        }
        String local = Files.readString(s.arc.settings().control().resolve("job." + id + ".local"));
        String slurmId = local.replaceAll("(?s).*\nlocalid=([0-9]+).*", "$1");
        String job = s.slurm.slurm("scontrol", "-o", "show", "job", slurmId).stdoutText();
        java.time.Instant start = slurmTime(job, "StartTime");
        java.time.Instant end = slurmTime(job, "EndTime");
        return new long[] {secs(at.get("ACCEPTED"), at.get("SUBMIT")), secs(at.get("SUBMIT"), at.get("INLRMS")),
            secs(at.get("INLRMS"), start), secs(start, end), secs(end, at.get("FINISHED"))};
    }

    private static java.time.Instant slurmTime(String job, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(field + "=(\\S+)").matcher(job);
        assertTrue(m.find(), field + " in " + job);
        return java.time.LocalDateTime.parse(m.group(1)).atZone(java.time.ZoneId.systemDefault()).toInstant();
    }

    private static long secs(java.time.Instant a, java.time.Instant b) {
        return a == null || b == null ? -1 : java.time.Duration.between(a, b).getSeconds();
    }

    private static String medianStep(List<long[]> rows, int i) {
        List<Double> v = rows.stream().map(r -> (double) r[i]).toList();
        return v.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", median(v));
    }

    private static String bash(String script) {
        return RUN.runChecked(Command.of(Duration.ofMinutes(6), "bash", "-c", script)).stdoutText();
    }

    private static void row(StringBuilder t, String what, List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        t.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", what, median(values), sorted.get(0),
                sorted.get(sorted.size() - 1)));
    }

    private static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
