package org.vmgrid.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.Golden;
import org.vmgrid.testing.HostileText;

/**
 * The runtime environment scripts: golden files, shellcheck as POSIX sh, and stage 0 run by dash
 * (Debian's /bin/sh, which A-REX's {@code submit-SLURM-job} runs under) the way A-REX sources it,
 * with the batch script's payload line made as A-REX makes it and run against a stand-in
 * {@code vmgrid} that prints the argv it got.
 */
class RteScriptsTest {

    static final RteSite SITE = new RteSite(Path.of("/usr/bin/vmgrid"), Path.of("/run/vmgrid/pilot.sock"), 1024, 256,
            RteSite.SLURM_NODE_SELECTION);
    private final RteScripts scripts = new RteScripts();

    @TempDir
    Path dir;

    @Test
    void goldenScripts() throws IOException {
        Golden.assertMatches("rte-vmgrid-image.sh", scripts.image(ArcTestSite.image(), SITE));
        Golden.assertMatches("rte-env-vmgrid.sh", scripts.options());
    }

    @Test
    void shellcheckFindsNothingInThemAsPosixSh() throws IOException {
        for (String script : List.of(scripts.image(ArcTestSite.image(), SITE), scripts.options())) {
            Path f = dir.resolve("rte.sh");
            Files.writeString(f, "#!/bin/sh\n" + script);
            CommandResult r = new ProcessCommandRunner().run(Command.of(Duration.ofMinutes(1), "shellcheck", "-s", "sh",
                    "-e", "SC2034,SC2317", f.toString()));
            assertEquals(0, r.exitCode(), r.stdoutText() + r.stderrText());
        }
    }

    @Test
    void aHostileTitleStaysOneCommentLine() {
        ImageDescriptor evil = new ImageDescriptor(ArcTestSite.UUID, "x\nrm -rf / #'$(id)`id`@\u2028y", "1",
                URI.create("file:///i.qcow2"), 1, "ab".repeat(64), URI.create("file:///l.json"),
                Instant.parse("2036-01-01T00:00:00Z"), List.of());
        String s = scripts.image(evil, SITE);
        assertTrue(s.startsWith("# description: vmgrid VM image x rm -rf (id) id y (" + ArcTestSite.UUID + ")\n# Written"), s);
        assertFalse(s.contains("$(id)"));
    }

    @Test
    void siteValuesThatAreNotPlainAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RteSite(Path.of("/usr/bin/vm'grid"), Path.of("/s"), 1024,
                0, RteSite.SLURM_NODE_SELECTION));
        assertThrows(IllegalArgumentException.class, () -> new RteSite(Path.of("/usr/bin/vmgrid"), Path.of("/s $(id)"), 1024,
                0, RteSite.SLURM_NODE_SELECTION));
        assertThrows(IllegalArgumentException.class, () -> new RteSite(Path.of("/usr/bin/vmgrid"), Path.of("/s"), 1024, 0,
                "--constraint=vmgrid\n#SBATCH --uid=0"));
    }

    @Test
    void theCommandLineCarriesEveryArgumentExactlyAndNothingRunsOnTheHost() throws Exception {
        Path marker = dir.resolve("touched");
        List<String> args = List.of("/bin/sh", "-c", "$(touch " + marker + ")", "`touch " + marker + "`", "it's", "a\"b",
                "back\\slash", "two  spaces", "", "*", "new\nline", "trailing\n", "$HOME", "'");
        Map<String, String> job = arex(args);
        job.put("joboption_runtime_1", "ENV/VMGRID");
        job.put("joboption_runtime_1_1", "memory=512");
        job.put("joboption_runtime_1_2", "cpus=2");
        job.put("joboption_runtime_1_3", "network=outbound");
        job.put("joboption_walltime", "600");
        job.put("joboption_env_0", "FOO=bar baz $(touch " + marker + ")");
        job.put("joboption_env_1", "bad name=x");
        job.put("joboption_env_2", "GRID_GLOBAL_JOBID=abc");
        Stage0 s = stage0(job);
        assertEquals(0, s.exit, s.stderr);
        List<String> argv = runPayload(s);
        List<String> expected = new ArrayList<>(List.of("pilot", "run", "--service", "/run/vmgrid/pilot.sock", "--image",
                ArcTestSite.UUID, "--memory", "512", "--cpus", "2", "--network", "outbound", "--workdir", "/the/session dir",
                "--ce-job", ARC_JOB, "--timeout", "600", "--env", "FOO=bar baz $(touch " + marker + ")", "--env", "GRID_GLOBAL_JOBID=abc", "--"));
        expected.addAll(args);
        assertEquals(expected, argv);
        assertFalse(Files.exists(marker), "nothing of the user's was run on the host");
        assertEquals("2", s.vars.get("joboption_count"));
        assertEquals("2", s.vars.get("joboption_countpernode"));
        assertEquals("384", s.vars.get("joboption_memory"), "(512 + 256 overhead) / 2 CPUs, per CPU");
        assertEquals("--constraint=vmgrid --gres=vmslot:1", s.vars.get("joboption_nodeproperty_0"));
        assertEquals(vmgrid().toString(), s.vars.get("joboption_arg_0"));
        assertEquals("vmgrid:" + ArcTestSite.UUID, s.vars.get("ACCOUNTING_WN_INSTANCE"));
        assertTrue(s.stderr.contains("not passed into the VM"), s.stderr);
    }

    @Test
    void defaultsAndTheJobsOwnMemoryAndAnotherRtesNodeProperty() throws Exception {
        Map<String, String> job = arex(List.of("/bin/true"));
        job.put("joboption_memory", "300");
        job.put("joboption_count", "1");
        job.put("joboption_nodeproperty_0", "--exclusive");
        Stage0 s = stage0(job);
        assertEquals(0, s.exit, s.stderr);
        List<String> argv = runPayload(s);
        assertEquals(List.of("--memory", "300", "--cpus", "1", "--network", "none"), argv.subList(6, 12));
        assertFalse(argv.contains("--timeout"));
        assertEquals("556", s.vars.get("joboption_memory"));
        assertEquals("1", s.vars.get("joboption_count"));
        assertEquals("--exclusive", s.vars.get("joboption_nodeproperty_0"));
        assertEquals("--constraint=vmgrid --gres=vmslot:1", s.vars.get("joboption_nodeproperty_1"));
        job.remove("joboption_memory");
        Stage0 d = stage0(job);
        assertEquals("1280", d.vars.get("joboption_memory"), "the site's default memory plus the overhead");
        job.put("joboption_count", "2");
        Stage0 two = stage0(job);
        assertEquals("2", two.vars.get("joboption_countpernode"), "the job's (count) is the VM's CPUs");
        assertEquals("640", two.vars.get("joboption_memory"));
    }

    @Test
    void whatTheStateCalloutRefusesFailsStage0Too() throws Exception {
        Map<String, Map<String, String>> bad = new LinkedHashMap<>();
        bad.put("two images", with("joboption_runtime_1", "VMGRID/IMAGE/other"));
        bad.put("an unknown option", with("joboption_runtime_1", "ENV/VMGRID", "joboption_runtime_1_1", "cores=2"));
        bad.put("a repeated option", with("joboption_runtime_1", "ENV/VMGRID", "joboption_runtime_1_1", "memory=1",
                "joboption_runtime_1_2", "memory=2"));
        bad.put("memory not a number", with("joboption_runtime_1", "ENV/VMGRID", "joboption_runtime_1_1",
                "memory=1;touch x"));
        bad.put("zero CPUs", with("joboption_runtime_1", "ENV/VMGRID", "joboption_runtime_1_1", "cpus=0"));
        bad.put("another network", with("joboption_runtime_1", "ENV/VMGRID", "joboption_runtime_1_1", "network=bridged"));
        for (Map.Entry<String, Map<String, String>> e : bad.entrySet()) {
            Map<String, String> job = arex(List.of("/bin/true"));
            job.putAll(e.getValue());
            Stage0 s = stage0(job);
            assertEquals(1, s.exit, e.getKey() + ": " + s.stderr);
            assertTrue(s.stderr.startsWith("vmgrid: "), e.getKey() + ": " + s.stderr);
        }
        Map<String, String> optionsAlone = new LinkedHashMap<>(Map.of("joboption_runtime_0", "ENV/VMGRID",
                "joboption_arg_0", "/bin/true"));
        Stage0 s = stage0(optionsAlone, scripts.options());
        assertEquals(1, s.exit);
        assertEquals("vmgrid: ENV/VMGRID needs the image too: ask for a VMGRID/IMAGE/<image> runtime environment\n", s.stderr);
        optionsAlone.put("joboption_runtime_1", "VMGRID/IMAGE/debian-test");
        assertEquals(0, stage0(optionsAlone, scripts.options()).exit);
    }

    /**
     * The hostile corpus as the job's arguments and environment (each comes out exactly as it went
     * in) and as each option's value (each is refused at stage 0, saying so); nothing runs on the
     * host. Values a shell variable cannot hold (NUL, unpaired surrogates) cannot come from A-REX.
     */
    @Test
    void theHostileCorpusAsArgumentsPassesExactlyAndAsOptionValuesIsRefused() throws Exception {
        Path marker = dir.resolve("touched");
        List<String> values = new ArrayList<>(List.of("$(touch " + marker + ")", "`touch " + marker + "`",
                "x;touch " + marker, "x\ntouch " + marker));
        HostileText.VALUES.stream().filter(v -> v.indexOf('\0') < 0 && StandardCharsets.UTF_8.newEncoder().canEncode(v))
                .forEach(values::add);
        List<String> args = new ArrayList<>(List.of("/bin/sh"));
        args.addAll(values);
        Map<String, String> job = arex(args);
        for (int i = 0; i < values.size(); i++) {
            job.put("joboption_env_" + i, "V" + i + "=" + values.get(i));
        }
        Stage0 s = stage0(job);
        assertEquals(0, s.exit, s.stderr);
        List<String> argv = runPayload(s);
        assertEquals(args, argv.subList(argv.indexOf("--") + 1, argv.size()));
        for (int i = 0; i < values.size(); i++) {
            assertTrue(argv.contains("V" + i + "=" + values.get(i)), "environment variable " + i);
        }
        for (String option : List.of("memory", "cpus", "network")) {
            for (String v : values) {
                Map<String, String> bad = arex(List.of("/bin/true"));
                bad.put("joboption_runtime_1", "ENV/VMGRID");
                bad.put("joboption_runtime_1_1", option + "=" + v);
                Stage0 refused = stage0(bad);
                assertEquals(1, refused.exit, option + "=" + v + ": " + refused.stderr);
                assertTrue(refused.stderr.startsWith("vmgrid: "), option + "=" + v + ": " + refused.stderr);
            }
        }
        assertFalse(Files.exists(marker), "nothing of the user's was run on the host");
    }

    // ---- a stand-in for A-REX's submit script ----

    private record Stage0(int exit, String stderr, Map<String, String> vars) {
    }

    private static Map<String, String> with(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** ARC's id of the job, as its batch script exports it (submit_common.sh's add_user_env). */
    private static final String ARC_JOB = "lvJMDmrWLtAoOSAtDmABFKDmABFKDmABFKDm9eGKDmCBFKDmw9hwWo";

    /** A job asking for the image alone, with these arguments (arg 0 is the executable). */
    private static Map<String, String> arex(List<String> argv) {
        Map<String, String> job = new LinkedHashMap<>();
        job.put("joboption_runtime_0", "VMGRID/IMAGE/debian-test");
        for (int i = 0; i < argv.size(); i++) {
            job.put("joboption_arg_" + i, argv.get(i));
        }
        return job;
    }

    private Path vmgrid() {
        return dir.resolve("bin/vmgrid");
    }

    private Stage0 stage0(Map<String, String> job) throws Exception {
        RteSite site = new RteSite(vmgrid(), Path.of("/run/vmgrid/pilot.sock"), 1024, 256, RteSite.SLURM_NODE_SELECTION);
        return stage0(job, scripts.image(ArcTestSite.image(), site));
    }

    /**
     * Sources stage 0 as A-REX's RTE_stage0 does (a function {@code . }-ing the script with its
     * arguments), then writes every variable a batch script is built from and the payload line as
     * submit_common.sh writes it (an unquoted here-document).
     */
    private Stage0 stage0(Map<String, String> job, String script) throws Exception {
        Path rte = dir.resolve("rte.sh");
        Files.writeString(rte, script);
        StringBuilder sh = new StringBuilder();
        job.forEach((k, v) -> sh.append(k).append('=').append(quote(v)).append('\n'));
        sh.append("sourcewithargs() {\nscript=$1\nshift\n. $script\n}\n");
        sh.append("sourcewithargs ").append(rte).append(" 0 '\"memory=512\"' || exit 1\n");
        sh.append("for v in joboption_count joboption_countpernode joboption_memory joboption_nodeproperty_0 "
                + "joboption_nodeproperty_1 joboption_arg_0 ACCOUNTING_WN_INSTANCE; do eval \"printf '%s=%s\\n' $v "
                + "\\\"\\${$v-}\\\"\"; done > ").append(dir.resolve("vars")).append('\n');
        sh.append("cat > ").append(dir.resolve("job.sh")).append(" <<EOSCR\nRUNTIME_JOB_DIR='/the/session dir'\n"
                + "export GRID_GLOBAL_JOBID='" + ARC_JOB + "'\n  $joboption_args </dev/null\nEOSCR\n");
        Path harness = dir.resolve("submit.sh");
        Files.writeString(harness, sh.toString());
        CommandResult r = new ProcessCommandRunner().run(Command.of(Duration.ofSeconds(30), "dash", harness.toString()));
        Map<String, String> vars = new LinkedHashMap<>();
        if (Files.exists(dir.resolve("vars"))) {
            for (String l : Files.readAllLines(dir.resolve("vars"))) {
                int eq = l.indexOf('=');
                vars.put(l.substring(0, eq), l.substring(eq + 1));
            }
            Files.delete(dir.resolve("vars"));
        }
        return new Stage0(r.exitCode(), r.stderrText(), vars);
    }

    /** Runs the batch script's payload line with bash (ARC's batch scripts are bash) and a vmgrid that prints its argv. */
    private List<String> runPayload(Stage0 s) throws Exception {
        Files.createDirectories(vmgrid().getParent());
        Files.writeString(vmgrid(), "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done\n");
        Files.setPosixFilePermissions(vmgrid(), PosixFilePermissions.fromString("rwxr-xr-x"));
        CommandResult r = new ProcessCommandRunner().run(Command.of(Duration.ofSeconds(30), "bash",
                dir.resolve("job.sh").toString()).in(dir));
        assertEquals(0, r.exitCode(), r.stderrText());
        String out = r.stdoutText();
        List<String> argv = new ArrayList<>(List.of(out.split("\0", -1)));
        argv.remove(argv.size() - 1);
        return argv;
    }

    private static String quote(String v) {
        return "'" + v.replace("'", "'\\''") + "'";
    }
}
