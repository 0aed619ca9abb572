package org.vmgrid.blahservice;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmgrid.api.Lrms;
import org.vmgrid.blahservice.BlahHookHarness.Blah;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.LoopbackSlurm;

/**
 * Benchmark (run by ce-plugin/blah-service/bench/hook-cost.sh, not by the build): per-submission
 * cost of the BLAH hook next to sbatch itself, on a loopback SLURM, all measured interleaved in one
 * run. Prints a Markdown table of wall-clock medians and 90th percentiles in milliseconds.
 */
public final class HookCostBench {

    private HookCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path dir = Files.createTempDirectory("vmgrid-hook-bench");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessCommandRunner runner = new ProcessCommandRunner();
        String javaCp = jarredClassPath(runner, Files.createDirectories(dir.resolve("jars")));
        Map<String, List<Long>> times = new LinkedHashMap<>();
        try (BlahHookHarness blah = BlahHookHarness.withoutVoPolicy(dir.resolve("ce"));
                LoopbackSlurm slurm = new LoopbackSlurm(Files.createDirectories(dir.resolve("slurm")))) {
            String vm = BlahHookHarness.vmRequest(TestImages.UUID, 2048, 1, "none");
            String plain = "Queue='grid'\n";
            byte[] request = ("vmgrid-blah-hook 1 slurm\n#!/bin/sh\n" + vm).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Path jsa = dir.resolve("hook-once.jsa");
            runner.run(Command.of(Duration.ofSeconds(60), "java", "-XX:ArchiveClassesAtExit=" + jsa, "-cp", javaCp,
                    HookOnceMain.class.getName()).withStdin(request)).requireSuccess();
            Path script = dir.resolve("job.sh");
            Files.writeString(script, "#!/bin/bash\n" + blah.run(Blah.PRELZ_SH_IS_BASH, Lrms.SLURM, vm).stdout() + "true\n");
            for (int i = -3; i < rounds; i++) {
                boolean warm = i >= 0;
                time(times, warm, "hook, job without VM request (bash + hook, no service call)",
                        () -> blah.run(Blah.PRELZ_SH_IS_BASH, Lrms.SLURM, plain).stdout());
                time(times, warm, "hook, VM job (bash + hook + socat + resident service)",
                        () -> blah.run(Blah.PRELZ_SH_IS_BASH, Lrms.SLURM, vm).stdout());
                time(times, warm, "alternative: one JVM per call, AppCDS archive (lower bound)",
                        () -> runner.run(Command.of(Duration.ofSeconds(60), "java", "-XX:SharedArchiveFile=" + jsa,
                                "-XX:TieredStopAtLevel=1", "-cp", javaCp, HookOnceMain.class.getName()).withStdin(request))
                                .requireSuccess().stdoutText());
                time(times, warm, "alternative: one JVM per call, default CDS",
                        () -> runner.run(Command.of(Duration.ofSeconds(60), "java", "-cp", javaCp,
                                HookOnceMain.class.getName()).withStdin(request)).requireSuccess().stdoutText());
                time(times, warm, "sbatch of the resulting VM job script", () -> {
                    CommandResult r = slurm.sbatch(script);
                    if (r.exitCode() != 0) {
                        throw new IllegalStateException(r.stderrText());
                    }
                    return r.stdoutText();
                });
            }
        } finally {
            runner.run(Command.of(Duration.ofSeconds(30), "rm", "-rf", dir.toString()));
        }
        System.out.println("| step (" + rounds + " rounds, interleaved) | median ms | p90 ms |");
        System.out.println("|---|---:|---:|");
        times.forEach((name, t) -> {
            long[] s = t.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("| %s | %.1f | %.1f |%n", name, s[s.length / 2] / 1e6, s[(int) (s.length * 0.9)] / 1e6);
        });
    }

    /** This JVM's class path with every directory packed into a jar: CDS archives only jars. */
    private static String jarredClassPath(ProcessCommandRunner runner, Path jars) {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry))) {
                Path jar = jars.resolve(out.size() + ".jar");
                runner.run(Command.of(Duration.ofSeconds(60), "jar", "cf", jar.toString(), "-C", entry, "."))
                        .requireSuccess();
                out.add(jar.toString());
            } else {
                out.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    interface Step {
        String run() throws Exception;
    }

    private static void time(Map<String, List<Long>> times, boolean record, String name, Step step) throws Exception {
        long t0 = System.nanoTime();
        String out = step.run();
        long t = System.nanoTime() - t0;
        if (name.contains("VM") && !name.contains("without") && !name.startsWith("sbatch") && !out.contains("vmslot")) {
            throw new IllegalStateException(name + " answered no directives: " + out);
        }
        if (record) {
            times.computeIfAbsent(name, k -> new ArrayList<>()).add(t);
        }
    }

}
