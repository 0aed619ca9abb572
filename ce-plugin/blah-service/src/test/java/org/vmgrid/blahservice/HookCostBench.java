package org.vmgrid.blahservice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * Benchmark (run by ce-plugin/blah-service/bench/hook-cost.sh, not by the build): what vmgrid's
 * BLAH hook adds to one submission, next to BLAH's own {@code slurm_submit.sh} (its scripts from
 * {@code BLAH_SRC}, sbatch stubbed out) and a real {@code sbatch} on a loopback SLURM, all measured
 * interleaved in one run. The script runs this where {@code /bin/sh} is bash (a private mount
 * namespace), as on the hosts prelz BLAH runs its hooks on. Prints a Markdown table of wall-clock
 * medians and 90th percentiles in milliseconds, then what the hook adds.
 */
public final class HookCostBench {

    private HookCostBench() {
    }

    private static final String NO_HOOK = "BLAH slurm_submit.sh, no hook installed (sbatch stubbed)";
    private static final String EMPTY_HOOK = "BLAH slurm_submit.sh, an empty hook installed";
    private static final String PLAIN = "BLAH slurm_submit.sh + vmgrid hook, job without VM request";
    private static final String VM = "BLAH slurm_submit.sh + vmgrid hook, VM job";
    private static final String SCRIPT_EMPTY = "BLAH's submit-attributes script alone, empty hook";
    private static final String SCRIPT_PLAIN = "BLAH's submit-attributes script alone, vmgrid hook, no VM request";
    private static final String SCRIPT_VM = "BLAH's submit-attributes script alone, vmgrid hook, VM job";
    private static final String SBATCH = "sbatch of the VM job's script (loopback SLURM)";
    /** How often one shell sources a hook to time the hook itself, without the shell's start. */
    private static final int SOURCINGS = 50;
    private static final String LOOP_EMPTY = "one shell sourcing an empty hook " + SOURCINGS + " times";
    private static final String LOOP_PLAIN = "one shell sourcing vmgrid's hook " + SOURCINGS + " times, no VM request";
    private static final String LOOP_VM = "one shell sourcing vmgrid's hook " + SOURCINGS + " times, VM job";

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path blahScripts = Path.of(System.getenv("BLAH_SRC")).toAbsolutePath();
        Path dir = Files.createTempDirectory("vmgrid-hook-bench");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessCommandRunner runner = new ProcessCommandRunner();
        Map<String, List<Long>> times = new LinkedHashMap<>();
        String plain = HookRequestTest.resource("contract/plain-glue-min.req");
        String vm = HookRequestTest.resource("contract/admitted-fqan.req");
        try (BlahHookHarness hooks = BlahHookHarness.withoutVoPolicy(dir.resolve("ce"), TestImages.CONTRACT_UUID);
                LoopbackSlurm slurm = new LoopbackSlurm(Files.createDirectories(dir.resolve("slurm")))) {
            Path none = blah(dir.resolve("blah-none"), blahScripts, null);
            Path empty = blah(dir.resolve("blah-empty"), blahScripts, "");
            Path vmgrid = blah(dir.resolve("blah-vmgrid"), blahScripts,
                    Files.readString(hooks.libexec().resolve(HookInstaller.fileName(Lrms.SLURM))));
            Path emptyHooks = Files.createDirectories(dir.resolve("empty-hooks"));
            Files.writeString(emptyHooks.resolve(HookInstaller.fileName(Lrms.SLURM)), "");
            Path job = dir.resolve("vm-job.sh");
            Files.writeString(job, BlahHookHarness.slurmSubmitScript(Blah.PRELZ_SH_IS_BASH, "bench",
                    hooks.run(Blah.PRELZ_SH_IS_BASH, Lrms.SLURM, vm).stdout()));
            if (!Files.readString(job).contains("vmslot")) {
                throw new IllegalStateException("the VM request got no directives: " + Files.readString(job));
            }
            Path plainReq = Files.writeString(dir.resolve("plain.req"), plain);
            Path vmReq = Files.writeString(dir.resolve("vm.req"), vm);
            String loop = "n=0\nwhile [ $n -lt " + SOURCINGS + " ]; do\n    . %s\n    n=$((n + 1))\ndone\n";
            Path emptyLoop = loopScript(dir.resolve("loop-empty"), plain, String.format(loop,
                    emptyHooks.resolve(HookInstaller.fileName(Lrms.SLURM))));
            Path plainLoop = loopScript(dir.resolve("loop-plain"), plain, String.format(loop,
                    hooks.libexec().resolve(HookInstaller.fileName(Lrms.SLURM))));
            Path vmLoop = loopScript(dir.resolve("loop-vm"), vm, String.format(loop,
                    hooks.libexec().resolve(HookInstaller.fileName(Lrms.SLURM))));
            for (int i = -3; i < rounds; i++) {
                boolean warm = i >= 0;
                time(times, warm, NO_HOOK, () -> submit(runner, none, plainReq), "");
                time(times, warm, EMPTY_HOOK, () -> submit(runner, empty, plainReq), "");
                time(times, warm, PLAIN, () -> submit(runner, vmgrid, plainReq), "");
                time(times, warm, VM, () -> submit(runner, vmgrid, vmReq), "vmslot");
                time(times, warm, SCRIPT_EMPTY, () -> hooks.run(Blah.PRELZ_SH_IS_BASH, Lrms.SLURM, plain, emptyHooks)
                        .stdout(), "");
                time(times, warm, SCRIPT_PLAIN, () -> hooks.run(Blah.PRELZ_SH_IS_BASH, Lrms.SLURM, plain).stdout(), "");
                time(times, warm, SCRIPT_VM, () -> hooks.run(Blah.PRELZ_SH_IS_BASH, Lrms.SLURM, vm).stdout(), "vmslot");
                time(times, warm, LOOP_EMPTY, () -> shell(runner, emptyLoop), "");
                time(times, warm, LOOP_PLAIN, () -> shell(runner, plainLoop), "");
                time(times, warm, LOOP_VM, () -> shell(runner, vmLoop), "vmslot");
                time(times, warm, SBATCH, () -> {
                    CommandResult r = slurm.sbatch(job);
                    if (r.exitCode() != 0) {
                        throw new IllegalStateException(r.stderrText());
                    }
                    return "vmslot";
                }, "vmslot");
            }
        } finally {
            runner.run(Command.of(Duration.ofSeconds(30), "rm", "-rf", dir.toString()));
        }
        System.out.println("| step (" + rounds + " rounds, interleaved) | median ms | p90 ms |");
        System.out.println("|---|---:|---:|");
        times.forEach((name, t) -> System.out.printf("| %s | %.1f | %.1f |%n", name, median(t), p90(t)));
        double blah = median(times.get(NO_HOOK));
        double plainHook = (median(times.get(LOOP_PLAIN)) - median(times.get(LOOP_EMPTY))) / SOURCINGS;
        double vmHook = (median(times.get(LOOP_VM)) - median(times.get(LOOP_EMPTY))) / SOURCINGS;
        System.out.printf("%nWhat vmgrid's hook itself adds to one submission (medians of one shell sourcing it %d times, "
                + "less an empty hook): job without VM request %.3f ms; VM job %.2f ms, %.0f%% of BLAH's own submission "
                + "(%.1f ms). Installing any hook makes BLAH write and run its submit-attributes script: %.1f ms (an empty "
                + "hook over none).%n", SOURCINGS, plainHook, vmHook, 100 * vmHook / blah, blah,
                median(times.get(EMPTY_HOOK)) - blah);
    }

    /** A BLAH installation: BLAH's scripts, blah.config, a stub sbatch, and the given hook (none when null). */
    private static Path blah(Path dir, Path scripts, String hook) throws IOException {
        Path libexec = Files.createDirectories(dir.resolve("libexec"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String s : List.of("slurm_submit.sh", "blah_common_submit_functions.sh", "blah_load_config.sh")) {
            Files.copy(scripts.resolve(s), libexec.resolve(s));
        }
        if (hook != null) {
            Files.writeString(libexec.resolve(HookInstaller.fileName(Lrms.SLURM)), hook);
        }
        Files.writeString(dir.resolve("blah.config"), "slurm_binpath=" + bin + "/\nblah_libexec_directory=" + libexec
                + "\nblah_shared_directories=/\nblah_pass_submit_attributes[0]=\"VirtualOrganisation\"\n"
                + "blah_pass_submit_attributes[1]=\"x509UserProxyFQAN\"\n");
        Path sbatch = bin.resolve("sbatch");
        Files.writeString(sbatch, "#!/bin/sh\ncp \"$1\" \"$SHIM_OUT\" && echo \"Submitted batch job 4242\"\n");
        Files.setPosixFilePermissions(sbatch, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("tmp"));
        return dir;
    }

    /** One submission as BLAH's server runs it; returns the submit script that reached sbatch. */
    private static String submit(ProcessCommandRunner runner, Path blah, Path request) throws IOException {
        Path req = Files.copy(request, blah.resolve("tmp/ce-req-file"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path out = blah.resolve("submitted.sh");
        CommandResult r = runner.run(Command.of(Duration.ofSeconds(60), "/usr/bin/env", "-i", "PATH=/usr/bin:/bin",
                "HOME=" + blah, "SHIM_OUT=" + out, "BLAHPD_LOCATION=" + blah, "BLAHPD_CONFIG_LOCATION=" + blah.resolve("blah.config"),
                blah.resolve("libexec/slurm_submit.sh").toString(), "-c", "/bin/true", "-T", blah.resolve("tmp").toString(),
                "-C", req.toString(), "-o", "/dev/null", "-e", "/dev/null", "-q", "grid", "-n", "1", "-j", "123456789")
                .in(blah));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("slurm_submit.sh failed: " + r.stdoutText() + r.stderrText());
        }
        return Files.readString(out);
    }

    /**
     * BLAH's submit-attributes script, {@code #!/bin/sh} and the request file, whose last line sources
     * (as BLAH's does) a file that sources the hook in a loop: {@code body}.
     */
    private static Path loopScript(Path dir, String request, String body) throws IOException {
        Path loop = Files.writeString(Files.createDirectories(dir).resolve("loop_local_submit_attributes.sh"), body);
        return Files.writeString(dir.resolve("temp_req_script"), "#!/bin/sh\n" + request + "source " + loop + "\n");
    }

    private static String shell(ProcessCommandRunner runner, Path script) {
        CommandResult r = runner.run(Command.of(Duration.ofSeconds(120), "/bin/bash", "--posix", script.toString()));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(script + " failed: " + r.stderrText());
        }
        return r.stdoutText();
    }

    interface Step {
        String run() throws Exception;
    }

    private static void time(Map<String, List<Long>> times, boolean record, String name, Step step, String mustHold)
            throws Exception {
        long t0 = System.nanoTime();
        String out = step.run();
        long t = System.nanoTime() - t0;
        if (!out.contains(mustHold) || (mustHold.isEmpty() && out.contains("vmgrid"))) {
            throw new IllegalStateException(name + " printed the wrong lines: " + out);
        }
        if (record) {
            times.computeIfAbsent(name, k -> new ArrayList<>()).add(t);
        }
    }

    private static double median(List<Long> t) {
        long[] s = t.stream().mapToLong(Long::longValue).sorted().toArray();
        return s[s.length / 2] / 1e6;
    }

    private static double p90(List<Long> t) {
        long[] s = t.stream().mapToLong(Long::longValue).sorted().toArray();
        return s[(int) (s.length * 0.9)] / 1e6;
    }
}
