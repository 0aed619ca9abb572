package org.vmgrid.batchhooks.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vmgrid.admission.DirectiveEncoder;
import org.vmgrid.api.Lrms;
import org.vmgrid.batchhooks.InstalledWrappers;
import org.vmgrid.blahservice.Refusal;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.testing.LoopbackGridEngine;
import org.vmgrid.testing.Unprivileged;

/**
 * A job's last leg on a real Grid Engine: a loopback qmaster and execd (Son of Grid Engine 8.1.9)
 * whose VM queue runs its jobs through vmgrid's shipped {@code sge-starter} (its launcher and
 * socket paths set for this node, as docs/install-batch.md says), a private libvirtd, the project's
 * appliance and the resident pilot service. Jobs are submitted with {@code qsub} as a grid pool
 * account from its own job directory (mode 0700), VM jobs with exactly the directive lines the CE's {@link DirectiveEncoder}
 * renders for Grid Engine. Two VM boots.
 */
class GridEngineStarterIT {

    private static VmWorkerNode node;
    private static Path sgeDir;
    private static LoopbackGridEngine sge;
    private static Path work;

    @BeforeAll
    static void startWorkerNode() throws Exception {
        node = VmWorkerNode.start("vmgrid-sge-it");
        work = node.poolWork("pool-work");
        sgeDir = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-sge-cell");
        Files.setPosixFilePermissions(sgeDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path starter = InstalledWrappers.install(sgeDir.resolve("vmgrid-batch"), node.launcher, node.serviceSocket)
                .resolve("sge-starter");
        node.startPilotService();
        sge = new LoopbackGridEngine(sgeDir, starter);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (sge != null) {
                sge.close();
            }
        } finally {
            try {
                if (node != null) {
                    node.close();
                }
            } finally {
                Unprivileged.deleteTree(sgeDir);
            }
        }
    }

    /** The directive lines the CE appends for a VM of this image, 128 MiB, one CPU, no network. */
    private static String vmDirectives(String image) {
        return String.join("\n", new DirectiveEncoder().render(Lrms.SGE, image, 128, 1, "none", 512)) + "\n";
    }

    /** Submits a batch script as the unprivileged user from the work directory; answers the job id. */
    private static String qsub(String name, String script, List<String> args, String... options) throws IOException {
        Path file = work.resolve(name + ".sh");
        Files.writeString(file, script);
        Unprivileged.ownByPool(file);
        List<String> argv = new ArrayList<>(List.of("qsub", "-terse", "-cwd", "-o", work.resolve(name + ".out").toString(),
                "-e", work.resolve(name + ".err").toString()));
        argv.addAll(List.of(options));
        argv.add(file.toString());
        argv.addAll(args);
        CommandResult r = sge.clientAs(Unprivileged.asPool(work), work, argv.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stdoutText() + r.stderrText());
        return r.stdoutText().strip();
    }

    private static String read(String file) throws IOException {
        Path p = work.resolve(file);
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Test
    void aPlainJobRunsOnTheHostUntouched() throws Exception {
        String id = qsub("plain", "#!/bin/sh\nuname -r\necho \"queue $QUEUE args $*\"\nexit 5\n", List.of("one", "two words"));
        Map<String, String> record = sge.awaitEnd(id, Duration.ofMinutes(2));
        assertEquals("5", record.get("exit_status"), record.toString());
        assertEquals("0", record.get("failed"), record.toString());
        assertEquals(VmWorkerNode.hostKernel() + "\nqueue " + LoopbackGridEngine.PLAIN_QUEUE + " args one two words\n",
                read("plain.out"));
        assertEquals("", read("plain.err"));
    }

    @Test
    void aVmJobRunsItsScriptInTheVmThroughThePilotServiceAndEndsWithItsExitCode() throws Exception {
        String uuid = node.appliance.uuid().toString();
        int mark = node.serviceLogMark();
        String id = qsub("vm", "#!/bin/sh\n" + vmDirectives(uuid)
                + "uname -r\necho \"job $JOB_ID args $*\"\necho from-the-guest > written.txt\nexit 3\n",
                List.of("one", "two words"));
        Map<String, String> record = sge.awaitEnd(id, Duration.ofMinutes(8));
        String out = read("vm.out");
        assertEquals("3", record.get("exit_status"), record + out + read("vm.err") + node.serviceLog());
        assertEquals("0", record.get("failed"), record.toString());
        assertEquals(LoopbackGridEngine.VM_QUEUE, record.get("qname"), record.toString());
        List<String> lines = out.lines().toList();
        assertTrue(lines.contains(node.appliance.kernelRelease()), "the script ran under the appliance's kernel: " + out);
        assertFalse(lines.contains(VmWorkerNode.hostKernel()), out);
        assertTrue(lines.contains("job " + id + " args one two words"), out);
        assertEquals("from-the-guest\n", read("written.txt"), "a file the payload wrote in its directory came back");
        assertEquals("", read("vm.err"));
        String log = Files.readString(node.serviceLog);
        String begun = "vmgrid pilot service: job \\S+ of " + Unprivileged.POOL + ": image "
                + Pattern.quote(uuid + ", workdir " + work.toRealPath());
        assertTrue(log.lines().anyMatch(l -> l.matches(begun)), log);
        node.awaitServiceLog(mark, Pattern.compile("vmgrid pilot service: job \\S+ of " + Unprivileged.POOL + " ended: exit 3\\b"),
                Duration.ofSeconds(60));
        assertEquals(List.of(), node.libvirt.domains(), "no domain left behind");
        assertEquals(List.of(), node.stateLeft(), "nothing of the job left in the pilot's state directory");
    }

    @Test
    void aVmJobOfAnImageTheSiteDoesNotTrustFailsWithTheReasonAndNothingRuns() throws Exception {
        String unknown = UUID.randomUUID().toString();
        String id = qsub("refused", "#!/bin/sh\n" + vmDirectives(unknown) + "echo ran-anyway > ran-refused.txt\n", List.of());
        Map<String, String> record = sge.awaitEnd(id, Duration.ofMinutes(3));
        String err = read("refused.err");
        assertEquals("75", record.get("exit_status"), record + err);
        assertTrue(err.contains(unknown), "the reason names the image: " + err);
        assertTrue(err.startsWith("vmgrid pilot run: "), err);
        assertFalse(Files.exists(work.resolve("ran-refused.txt")), "the script never runs without its VM");
        assertEquals(List.of(), node.libvirt.domains());
    }

    @Test
    void aJobInTheVmQueueWithoutAWellFormedRequestFailsWithTheReasonAndNothingRuns() throws Exception {
        // a local user's qsub can put anything there; the CE's encoder never writes these
        String u = node.appliance.uuid().toString();
        String[][] bad = {
            {"-v", "VMGRID_IMAGE=" + u + ",VMGRID_MEMORY=128,VMGRID_CPUS=1,VMGRID_NETWORK=bridged"},
            {"-v", "VMGRID_IMAGE=" + u.toUpperCase() + ",VMGRID_MEMORY=128,VMGRID_CPUS=1,VMGRID_NETWORK=none"},
            {"-v", "VMGRID_IMAGE=../../etc/passwd,VMGRID_MEMORY=128,VMGRID_CPUS=1,VMGRID_NETWORK=none"},
            {"-v", "VMGRID_IMAGE=" + u + ",VMGRID_MEMORY=0128,VMGRID_CPUS=1,VMGRID_NETWORK=none"},
            {"-v", "VMGRID_IMAGE=" + u + ",VMGRID_CPUS=1,VMGRID_NETWORK=none"},
        };
        for (int i = 0; i < bad.length; i++) {
            String id = qsub("bad" + i, "#!/bin/sh\necho ran-anyway > ran-bad" + i + ".txt\n", List.of(), "-l", "vmgrid=true",
                    bad[i][0], bad[i][1]);
            Map<String, String> record = sge.awaitEnd(id, Duration.ofMinutes(2));
            String err = read("bad" + i + ".err");
            assertEquals("64", record.get("exit_status"), bad[i][1] + ": " + record + err);
            assertEquals("vmgrid: job " + id + ": its VM request is not VMGRID_IMAGE=<lowercase uuid>, VMGRID_MEMORY=<MiB>, "
                    + "VMGRID_CPUS=<n>, VMGRID_NETWORK=<none|outbound>; the job is not run\n", err, bad[i][1]);
            assertFalse(Files.exists(work.resolve("ran-bad" + i + ".txt")), "never run on the host: " + bad[i][1]);
        }
        String id = qsub("norequest", "#!/bin/sh\necho ran-anyway > ran-norequest.txt\n", List.of(), "-l", "vmgrid=true");
        Map<String, String> record = sge.awaitEnd(id, Duration.ofMinutes(2));
        assertEquals("64", record.get("exit_status"), record + read("norequest.err"));
        assertEquals("vmgrid: job " + id + ": queue " + LoopbackGridEngine.VM_QUEUE + " runs VM jobs only (its starter_method"
                + " is vmgrid's) and this job asks for no VM (no VMGRID_IMAGE); submit it to another queue; the job is not run\n",
                read("norequest.err"));
        assertFalse(Files.exists(work.resolve("ran-norequest.txt")));
        assertEquals(List.of(), node.libvirt.domains());
    }

    @Test
    void qsubRefusesAJobAskingForAResourceTheCellDoesNotDefine() throws Exception {
        // what a VM job's directives meet on a cell without vmgrid's complexes
        Path file = work.resolve("undefined.sh");
        Files.writeString(file, "#!/bin/sh\n#$ -l vmgridless=true\necho ran-anyway > ran-undefined.txt\n");
        Unprivileged.ownByPool(file);
        CommandResult r = sge.clientAs(Unprivileged.asPool(work), work, "qsub", "-terse", "-cwd", file.toString());
        assertEquals(1, r.exitCode(), r.stdoutText() + r.stderrText());
        assertTrue(r.stderrText().contains("unknown resource \"vmgridless\""), r.stderrText());
        assertFalse(Files.exists(work.resolve("ran-undefined.txt")));
    }

    @Test
    void qsubRefusesEveryScriptWithTheCesRefusingDirective() throws Exception {
        for (Refusal refusal : Refusal.values()) {
            Path file = work.resolve("refusal-" + refusal.keyword() + ".sh");
            Files.writeString(file, "#!/bin/sh\n" + String.join("\n", refusal.directives(Lrms.SGE))
                    + "\necho ran-anyway > ran-refusal.txt\n");
            Unprivileged.ownByPool(file);
            CommandResult r = sge.clientAs(Unprivileged.asPool(work), work, "qsub", "-terse", "-cwd", file.toString());
            assertTrue(r.exitCode() != 0, refusal + ": " + r.stdoutText() + r.stderrText());
            assertTrue(r.stderrText().contains("--vmgrid-refused=" + refusal.keyword()), refusal + ": " + r.stderrText());
            assertEquals("", r.stdoutText(), "no job id: " + refusal);
        }
        assertFalse(Files.exists(work.resolve("ran-refusal.txt")));
    }

    @Test
    void aVmJobFailsWithTheReasonWhenNoPilotServiceListensAndNothingRuns() throws Exception {
        assertEquals(143, node.stopPilotService(), node::serviceLog);
        try {
            String id = qsub("nosvc", "#!/bin/sh\n" + vmDirectives(node.appliance.uuid().toString())
                    + "echo ran-anyway > ran-nosvc.txt\n", List.of());
            Map<String, String> record = sge.awaitEnd(id, Duration.ofMinutes(2));
            assertEquals("79", record.get("exit_status"), record + read("nosvc.err"));
            assertEquals("vmgrid: job " + id + ": no vmgrid pilot service listens at " + node.serviceSocket
                    + " on this node (vmgrid serve); the job is not run\n", read("nosvc.err"));
            assertFalse(Files.exists(work.resolve("ran-nosvc.txt")), "the script never runs without its VM");
        } finally {
            node.startPilotService();
        }
    }

    @Test
    void qdelOfARunningVmJobLeavesNoDomainOverlayOrProcessWithin10Seconds() throws Exception {
        String id = qsub("long", "#!/bin/sh\n" + vmDirectives(node.appliance.uuid().toString())
                + "echo started-in-the-guest\nsleep 600\necho not-reached\n", List.of());
        try {
            deleteWhileRunning(id);
        } catch (AssertionError | Exception e) {
            sge.client("qdel", "-f", id); // not to leave it running for the other tests
            throw e;
        }
    }

    private void deleteWhileRunning(String id) throws Exception {
        int mark = node.serviceLogMark();
        long end = System.nanoTime() + Duration.ofMinutes(8).toNanos();
        while (!read("long.out").contains("started-in-the-guest")) {
            assertTrue(System.nanoTime() < end, "the payload did not start within 8 min: " + sge.jobStatus(id) + read("long.err")
                    + node.serviceLog());
            Thread.sleep(250);
        }
        List<String> domains = node.libvirt.domains();
        assertEquals(1, domains.size(), domains.toString());
        String workdir = work.toRealPath().toString();
        List<ProcessHandle> processes = VmWorkerNode.processesWhoseArgv(argv -> argv.contains("guest=" + domains.get(0))
                || argv.contains("pilot run") && argv.contains("--workdir " + workdir + " "));
        assertEquals(2, processes.size(), "QEMU and the job's pilot client: " + processes);
        assertFalse(node.stateLeft().isEmpty(), "the running job has its files in the state directory");

        CommandResult del = sge.clientAs(Unprivileged.asPool(work), work, "qdel", id);
        assertEquals(0, del.exitCode(), del.stdoutText() + del.stderrText());
        long deleted = System.nanoTime();
        List<String> leftDomains;
        List<String> leftState;
        List<ProcessHandle> leftProcesses;
        do {
            Thread.sleep(100);
            leftDomains = node.libvirt.domains();
            leftState = node.stateLeft();
            leftProcesses = processes.stream().filter(ProcessHandle::isAlive).toList();
        } while ((!leftDomains.isEmpty() || !leftState.isEmpty() || !leftProcesses.isEmpty())
                && System.nanoTime() - deleted < Duration.ofSeconds(10).toNanos());
        assertEquals(List.of(), leftDomains, "no domain 10 s after qdel");
        assertEquals(List.of(), leftState, "no overlay or job file 10 s after qdel");
        assertEquals(List.of(), leftProcesses, "no QEMU or pilot process 10 s after qdel");
        Map<String, String> record = sge.awaitEnd(id, Duration.ofMinutes(1));
        assertEquals(LoopbackGridEngine.VM_QUEUE, record.get("qname"), record.toString());
        assertFalse(read("long.out").contains("not-reached"));
        node.awaitServiceLog(mark, Pattern.compile("vmgrid pilot service: job \\S+ of " + Unprivileged.POOL + " ended: CANCELLED\\b"),
                Duration.ofSeconds(30));
    }
}
