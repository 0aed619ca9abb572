package org.vmgrid.batchhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vmgrid.batchhooks.RecordedJob.Request;
import org.vmgrid.batchhooks.RecordedJob.Result;
import org.vmgrid.testing.Unprivileged;

/**
 * The shipped wrappers for PBS/Torque, LSF and HTCondor, started exactly as the recorded job
 * starts of each batch system say, as the job's user: a plain job starts as the batch system would
 * have started it; a VM job's request becomes one {@code vmgrid pilot run --service} call (seen by
 * a stand-in for the launcher, which records how it is called); a request that cannot run fails
 * with its reason and the job never runs. The real pilot and VMs: {@code RecordedJobStarterIT}.
 */
class JobWrapperTest {

    private static final String IMAGE = "c0ffee00-1234-4abc-8def-0123456789ab";
    private static final Request VM = new Request(IMAGE, "128", "1", "none");
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Path dir;
    private Path record;
    private Path socket;
    private ServerSocketChannel listener;

    @BeforeEach
    void layOut() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-wrapper-test");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        record = Files.createDirectories(dir.resolve("record"));
        Unprivileged.ownByPool(record);
        Path launcher = dir.resolve("vmgrid");
        // stands in for the vmgrid launcher: records its argv (NUL-separated), environment as it was exec'd and directory
        Files.writeString(launcher, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > " + record
                + "/argv\n/usr/bin/tr '\\0' '\\n' < /proc/$$/environ > " + record + "/env\npwd -P > " + record + "/cwd\necho launcher-ran\nexit 0\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        socket = dir.resolve("pilot.sock");
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        InstalledWrappers.install(dir.resolve("batch"), launcher, socket);
    }

    @AfterEach
    void cleanUp() throws IOException {
        listener.close();
        Unprivileged.deleteTree(dir);
    }

    private Path entry(String recording) {
        String name = recording.startsWith("torque") ? "pbs-job-starter"
                : recording.startsWith("lsf") ? "lsf-job-starter" : "condor-job-wrapper";
        return dir.resolve("batch").resolve(name);
    }

    private Result run(String recording, Path wrapper, String script, List<String> args, Request request, Path in)
            throws Exception {
        return RecordedJob.load(recording).run(in, wrapper, script, args, request, LIMIT);
    }

    /** Marker-writing script: whether the job ran on the host shows in {@code ran.txt} of its directory. */
    private static String marker() {
        return "#!/bin/sh\necho ran-on-the-host > \"$HOME/ran.txt\"\n";
    }

    private List<String> launcherArgv() throws IOException {
        byte[] bytes = Files.readAllBytes(record.resolve("argv"));
        String s = new String(bytes, StandardCharsets.UTF_8);
        return Arrays.asList(s.substring(0, s.length() - 1).split("\0", -1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"torque-6.1-shell-pipe.job", "torque-6.1-shell-use-argv.job", "torque-6.1-stdin-script.job",
        "lsf-10.1-script-job.job", "htcondor-24-vanilla.job"})
    void aPlainJobStartsAsTheBatchSystemWouldHaveStartedIt(String recording) throws Exception {
        String script = "#!/bin/sh\necho \"args $*\"\necho \"cwd $(pwd -P)\"\nid -un\n/usr/bin/env | LC_ALL=C sort\nexit 7\n";
        Path direct = Files.createDirectories(dir.resolve("direct"));
        Path wrapped = Files.createDirectories(dir.resolve("wrapped"));
        Result expected = run(recording, null, script, List.of("one", "two words"), null, direct);
        Result actual = run(recording, entry(recording), script, List.of("one", "two words"), null, wrapped);
        assertEquals(7, expected.exitCode(), expected.toString());
        assertEquals(expected.toString(), actual.toString().replace(wrapped.toString(), direct.toString()));
        assertTrue(actual.stdout().contains(Unprivileged.POOL + "\n"), actual.toString());
        assertFalse(Files.exists(record.resolve("argv")), "no pilot for a plain job");
    }

    @Test
    void aPlainHtcondorExecutableThatIsNoShellScriptGetsThePwdOfItsDirectoryToo() throws Exception {
        // the wrapper is a POSIX shell, which exports PWD; HTCondor's starter sets none (perl, which
        // Debian always has, sets none either)
        String printenv = "#!/usr/bin/perl\nprint \"$_=$ENV{$_}\\n\" for sort keys %ENV;\n";
        Path direct = Files.createDirectories(dir.resolve("direct"));
        Path wrapped = Files.createDirectories(dir.resolve("wrapped"));
        Result expected = run("htcondor-24-vanilla.job", null, printenv, List.of(), null, direct);
        Result actual = run("htcondor-24-vanilla.job", entry("htcondor"), printenv, List.of(), null, wrapped);
        assertEquals(0, actual.exitCode(), actual.toString());
        List<String> added = new ArrayList<>(actual.stdout().replace(wrapped.toString(), direct.toString()).lines().toList());
        added.removeAll(expected.stdout().lines().toList());
        assertEquals(List.of("PWD=" + RecordedJob.scratch(wrapped)), added.stream()
                .map(l -> l.replace(direct.toString(), wrapped.toString())).toList(), actual.stdout());
        assertEquals(expected.stdout().lines().count() + 1, actual.stdout().lines().count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"torque-6.1-shell-pipe.job", "torque-6.1-shell-use-argv.job", "torque-6.1-stdin-script.job"})
    void aTorqueVmJobRunsItsScriptWithItsShellThroughThePilotService(String recording) throws Exception {
        String script = "#!/bin/sh\nuname -r\nexit 3\n";
        Result r = run(recording, entry(recording), script, List.of(), VM, dir);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("launcher-ran\n", r.stdout(), r.toString());
        String home = RecordedJob.home(dir).toString();
        String name = recording.equals("torque-6.1-stdin-script.job") ? "blahjob_x1"
                : dir.resolve("spool/mom_priv/jobs/4242.SC").toString();
        assertEquals(List.of("pilot", "run", "--service", socket.toString(), "--image", IMAGE, "--memory", "128", "--cpus", "1",
                "--network", "none", "--workdir", home, "--env", "PBS_JOBID=4242", "--env", "PBS_JOBNAME=blahjob_x1",
                "--env", "PBS_QUEUE=grid", "--env", "PBS_NP=1", "--env", "PBS_ENVIRONMENT=PBS_BATCH", "--",
                "/bin/sh", "-c", "#!/bin/sh\nuname -r\nexit 3", name), launcherArgv());
        assertEquals("PATH=/usr/sbin:/usr/bin:/sbin:/bin\n", Files.readString(record.resolve("env")),
                "the launcher gets an empty environment but PATH");
        assertEquals(home + "\n", Files.readString(record.resolve("cwd")));
    }

    @Test
    void anLsfVmJobRunsItsScriptWithTheInterpreterOfItsHashBangLine() throws Exception {
        String script = "#!/bin/bash -e\nuname -r\n";
        Result r = run("lsf-10.1-script-job.job", entry("lsf"), script, List.of(), new Request(IMAGE, "2048", "2",
                "outbound"), dir);
        assertEquals(0, r.exitCode(), r.toString());
        String work = RecordedJob.home(dir).resolve("work").toString();
        assertEquals(List.of("pilot", "run", "--service", socket.toString(), "--image", IMAGE, "--memory", "2048", "--cpus",
                "2", "--network", "outbound", "--workdir", work, "--env", "LSB_JOBID=4242", "--env",
                "LSB_JOBNAME=blahjob_x1", "--env", "LSB_QUEUE=grid", "--", "/bin/bash", "-e", "-c",
                "#!/bin/bash -e\nuname -r", RecordedJob.home(dir).resolve(".lsbatch/1767225600.4242.shell").toString()),
                launcherArgv());
    }

    @Test
    void anLsfVmJobWithoutAHashBangLineRunsUnderShAsLsfWouldRunIt() throws Exception {
        Result r = run("lsf-10.1-script-job.job", entry("lsf"), "uname -r\n", List.of(), VM, dir);
        assertEquals(0, r.exitCode(), r.toString());
        List<String> argv = launcherArgv();
        assertEquals(List.of("--", "/bin/sh", "-c", "uname -r"), argv.subList(argv.indexOf("--"), argv.size() - 1));
    }

    @Test
    void anHtcondorVmJobRunsItsExecutableFromItsScratchDirectoryWithItsArguments() throws Exception {
        Result r = run("htcondor-24-vanilla.job", entry("htcondor"), marker(), List.of("one", "two words"), VM, dir);
        assertEquals(0, r.exitCode(), r.toString());
        String scratch = RecordedJob.scratch(dir).toString();
        assertEquals(List.of("pilot", "run", "--service", socket.toString(), "--image", IMAGE, "--memory", "128", "--cpus", "1",
                "--network", "none", "--workdir", scratch, "--env", "_CONDOR_SCRATCH_DIR=" + scratch, "--env",
                "_CONDOR_JOB_AD=" + scratch + "/.job.ad", "--env", "_CONDOR_MACHINE_AD=" + scratch + "/.machine.ad", "--",
                scratch + "/job.sh", "one", "two words"), launcherArgv());
    }

    @Test
    void htcondorJobAdAttributeNamesAreCaseInsensitiveAsClassAdNamesAre() throws Exception {
        RecordedJob job = RecordedJob.load("htcondor-24-vanilla.job").withAdLine("VMGRIDIMAGE = \"" + IMAGE + "\"")
                .withAdLine("vmgridmemory = 128").withAdLine("VmGridCpus = 1").withAdLine("vmgridNETWORK = \"none\"");
        Result r = job.run(dir, entry("htcondor"), marker(), List.of(), null, LIMIT);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(launcherArgv().contains(IMAGE), launcherArgv().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"torque-6.1-shell-pipe.job", "lsf-10.1-script-job.job", "htcondor-24-vanilla.job"})
    void aMalformedRequestFailsTheJobWithTheReasonAndNothingRuns(String recording) throws Exception {
        Request[] bad = {
            new Request(IMAGE.toUpperCase(), "128", "1", "none"),
            new Request("../../etc/passwd", "128", "1", "none"),
            new Request(IMAGE, "0128", "1", "none"),
            new Request(IMAGE, "128", "", "none"),
            new Request(IMAGE, "128", "1", "bridged"),
            new Request(IMAGE + "-0000", "128", "1", "none"),
            new Request(IMAGE, "1234567890", "1", "none"),
        };
        boolean condor = recording.startsWith("htcondor");
        for (Request b : bad) {
            Path in = Files.createDirectories(dir.resolve("bad" + Arrays.asList(bad).indexOf(b)));
            Result r = run(recording, entry(recording), marker(), List.of(), b, in);
            assertEquals(64, r.exitCode(), b + ": " + r);
            String grammar = condor ? "VmgridImage = \"<lowercase uuid>\", VmgridMemory = <MiB>, VmgridCPUs = <n>, "
                    + "VmgridNetwork = \"<none|outbound>\"" : "VMGRID_IMAGE=<lowercase uuid>, VMGRID_MEMORY=<MiB>, "
                    + "VMGRID_CPUS=<n>, VMGRID_NETWORK=<none|outbound>";
            assertEquals("vmgrid: job " + (condor ? "42.0" : "4242") + ": its VM request is not " + grammar
                    + "; the job is not run\n", r.stderr(), b.toString());
            assertFalse(Files.exists(RecordedJob.home(in).resolve("ran.txt")), "never run on the host: " + b);
            assertFalse(Files.exists(record.resolve("argv")), "no pilot: " + b);
            if (condor) {
                assertEquals("vmgrid: its VM request is not " + grammar + "\n",
                        Files.readString(RecordedJob.scratch(in).resolve(".job_wrapper_failure")),
                        "HTCondor holds the job with the reason");
            }
        }
    }

    @Test
    void aPartialRequestIsARequestAndFails() throws Exception {
        RecordedJob job = RecordedJob.load("htcondor-24-vanilla.job").withAdLine("VmgridImage = \"" + IMAGE + "\"");
        Result r = job.run(dir, entry("htcondor"), marker(), List.of(), null, LIMIT);
        assertEquals(64, r.exitCode(), r.toString());
        assertFalse(Files.exists(RecordedJob.home(dir).resolve("ran.txt")));
    }

    @Test
    void anHtcondorRequestNamingAnAttributeTwiceFails() throws Exception {
        RecordedJob job = RecordedJob.load("htcondor-24-vanilla.job").withAdLine("VMGRIDIMAGE = \"" + IMAGE + "\"");
        Result r = job.run(dir, entry("htcondor"), marker(), List.of(), VM, LIMIT);
        assertEquals(64, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("its VM request names VmgridImage twice"), r.toString());
    }

    @Test
    void anHtcondorJobWhoseJobAdCannotBeReadFailsSinceWhetherItAsksForAVmIsUnknown() throws Exception {
        Result r = RecordedJob.load("htcondor-24-vanilla.job").withUnreadableJobAd().run(dir, entry("htcondor"), marker(),
                List.of(), null, LIMIT);
        assertEquals(64, r.exitCode(), r.toString());
        assertEquals("vmgrid: job ?: its job ad " + RecordedJob.scratch(dir).resolve(".job.ad") + " cannot be read, so "
                + "whether it asks for a VM is unknown; the job is not run\n", r.stderr());
        assertFalse(Files.exists(RecordedJob.home(dir).resolve("ran.txt")));
    }

    @Test
    void aTorqueVmJobWithQsubArgumentsFailsSinceTheyAreShellWordsOfTheHost() throws Exception {
        RecordedJob job = RecordedJob.load("torque-6.1-shell-pipe.job")
                .withStdinPipe("${SPOOL}/mom_priv/jobs/${JOBID}.SC one 'two words'\n");
        Result r = job.run(dir, entry("torque"), marker(), List.of(), VM, LIMIT);
        assertEquals(64, r.exitCode(), r.toString());
        assertEquals("vmgrid: job 4242: it has qsub -F arguments, which VM jobs do not take (put them in the script); "
                + "the job is not run\n", r.stderr());
        assertFalse(Files.exists(RecordedJob.home(dir).resolve("ran.txt")));
    }

    @Test
    void aVmJobFailsWithTheReasonWhenNoPilotServiceListensOrTheLauncherIsMissing() throws Exception {
        listener.close();
        Files.delete(socket);
        Result r = run("lsf-10.1-script-job.job", entry("lsf"), marker(), List.of(), VM, dir);
        assertEquals(79, r.exitCode(), r.toString());
        assertEquals("vmgrid: job 4242: no vmgrid pilot service listens at " + socket + " on this node (vmgrid serve); "
                + "the job is not run\n", r.stderr());
        Files.delete(dir.resolve("vmgrid"));
        Path again = Files.createDirectories(dir.resolve("again"));
        r = run("htcondor-24-vanilla.job", entry("htcondor"), marker(), List.of(), VM, again);
        assertEquals(78, r.exitCode(), r.toString());
        assertEquals("vmgrid: job 42.0: the vmgrid launcher " + dir.resolve("vmgrid") + " is missing or not executable on "
                + "this node; the job is not run\n", r.stderr());
        assertFalse(Files.exists(RecordedJob.home(dir).resolve("ran.txt")));
        assertFalse(Files.exists(RecordedJob.home(again).resolve("ran.txt")));
    }

    @Test
    void aVmJobStartedAsRootFailsRatherThanRunAsRoot() throws Exception {
        Result r = RecordedJob.load("torque-6.1-shell-pipe.job").asRoot().run(dir, entry("torque"), marker(), List.of(), VM,
                LIMIT);
        assertEquals(78, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("the wrapper runs as root"), r.toString());
        assertFalse(Files.exists(record.resolve("argv")));
    }

    @Test
    void everyShippedEntryScriptStartsTheWrapperBesideItForItsBatchSystem() throws IOException {
        List<String> entries = new ArrayList<>();
        try (var files = Files.list(InstalledWrappers.shipped())) {
            files.map(f -> f.getFileName().toString()).sorted().forEach(entries::add);
        }
        assertEquals(List.of("condor-job-wrapper", "lsf-job-starter", "pbs-job-starter", "sge-starter", "vmgrid-job-wrapper"),
                entries);
        for (String[] e : new String[][] {{"condor-job-wrapper", "condor"}, {"lsf-job-starter", "lsf"},
            {"pbs-job-starter", "pbs"}, {"sge-starter", "sge"}}) {
            String last = Files.readString(InstalledWrappers.shipped().resolve(e[0])).strip().lines().reduce((a, b) -> b)
                    .orElseThrow();
            assertEquals("exec \"${0%/*}/vmgrid-job-wrapper\" --lrms " + e[1] + " --vmgrid " + InstalledWrappers.DEFAULT_LAUNCHER
                    + " --service " + InstalledWrappers.DEFAULT_SOCKET + " -- \"$@\"", last, e[0]);
        }
    }
}
