package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.vmgrid.itests.SlurmVmNode.Job;

/**
 * What a worker node sees in a bad week, on real components ({@link SlurmVmNode}: SLURM with the
 * SPANK plugin, the pilot service, a private system libvirtd, the appliance): daemons restarted or
 * killed under running VM jobs. Each test asserts that nothing is lost: every job ends in a definite
 * state with its reason, its output and its accounting record; nothing is left running or on disk;
 * the node is not drained; plain jobs are unaffected.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerNodeFaultsIT {

    /** Bounds of waits, generous: on a loaded machine four guests booting at once under TCG take minutes. */
    private static final Duration BOOT = Duration.ofMinutes(8);
    private static final Duration END = Duration.ofMinutes(3);
    /** A payload that says it runs, then waits for the test's word (a file in its job directory). */
    private static final String WAITS_FOR_GO = "#!/bin/sh\necho booted\nwhile [ ! -e go ]; do sleep 1; done\n"
            + "echo after > after.txt\necho done\nexit 4\n";

    private static SlurmVmNode node;

    @BeforeAll
    static void startTheNode() throws Exception {
        node = SlurmVmNode.start("faults", 600, "");
    }

    @AfterAll
    static void stopTheNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @AfterEach
    void nothingLeft() throws Exception {
        node.assertNothingLeft(Duration.ofMinutes(1));
    }

    /**
     * Two faults on one pair of running VM jobs and a plain job: libvirtd is restarted (both VM jobs
     * go on; one is then let finish normally), then the pilot service is killed while the other
     * still runs (it fails with its reason, and the service's next start reaps it).
     */
    @Test
    @Order(1)
    void libvirtdRestartedUnderRunningJobsLosesNoneAndThePilotServiceKilledMidJobFailsItsJobCleanly() throws Exception {
        Job a = node.vmJob("libvirtd", WAITS_FOR_GO);
        Job b = node.vmJob("killed", WAITS_FOR_GO);
        Job plain = node.plainJob("plain", "#!/bin/sh\necho plain\nwhile [ ! -e go ]; do sleep 1; done\nexit 0\n");
        node.awaitOutput(a, "booted", BOOT);
        node.awaitOutput(b, "booted", BOOT);
        node.awaitOutput(plain, "plain", BOOT);

        // libvirtd restarted: the guests go on, the pilot reconnects
        long before = node.libvirt.daemonPid();
        node.libvirt.restart();
        assertNotEquals(before, node.libvirt.daemonPid(), "libvirtd was restarted");
        go(a);
        assertEquals("FAILED", node.awaitEnd(a, END), node.diagnosis(a));
        assertEquals("4:0", node.exitCode(a), "the payload's own exit code: " + a.output());
        assertEquals(List.of("booted", "done"), a.output().lines().toList(), "the payload's whole output");
        assertEquals("after\n", Files.readString(a.dir().resolve("after.txt")), "the file the payload wrote");
        String recordA = node.accounting(node.pilotJobOf(a, END), END);
        assertTrue(recordA.contains("\"exitCode\":4,\"failure\":null"), recordA);
        assertEquals("RUNNING", node.slurm.jobField(b.id(), "JobState"), "the other VM job went on: " + node.diagnosis(b));

        // the pilot service killed with SIGKILL while b runs, then started again
        String pilotJob = node.pilotJobOf(b, END);
        long pid = node.service().pid();
        node.service().kill();
        assertEquals("FAILED", node.awaitEnd(b, END), node.diagnosis(b));
        assertEquals("79:0", node.exitCode(b), b.output());
        assertTrue(b.output().startsWith("booted\n"), "the output the payload produced: " + b.output());
        assertTrue(b.output().contains("vmgrid pilot run: the pilot service at " + node.service().socket()
                + ": it closed the connection before the job's result; see the service's log"), b.output());
        assertEquals(1, node.libvirt.domains().size(), "the killed service's VM runs on until the service is back");
        node.startService();
        assertTrue(node.serviceLog().contains("vmgrid pilot service: reaped the VMs vmgrid-" + pilotJob + " of pilots that are gone"),
                node.serviceLog());
        String recordB = node.accounting(pilotJob, END);
        assertTrue(recordB.contains("\"exitCode\":null,\"failure\":\"host\""), recordB);
        assertTrue(recordB.contains("the pilot (PID " + pid + ") that ran job " + pilotJob + " ended before"), recordB);

        // the plain job ran through both
        go(plain);
        assertEquals("COMPLETED", node.awaitEnd(plain, END), node.diagnosis(plain));
        assertEquals("plain\n", plain.output());
    }

    @Test
    @Order(2)
    void scancelOfARunningVmJobLeavesNoDomainOverlayOrProcessWithin10Seconds() throws Exception {
        Job vm = node.vmJob("scancel", WAITS_FOR_GO);
        node.awaitOutput(vm, "booted", BOOT);
        String pilotJob = node.pilotJobOf(vm, END);
        assertEquals(1, node.libvirt.domains().size(), node.diagnosis(vm));
        var cancel = node.slurm.slurm("scancel", vm.id());
        assertEquals(0, cancel.exitCode(), "scancel: " + cancel.stderrText());
        SlurmVmNode.awaitTrue(() -> {
            try {
                return node.libvirt.domains().isEmpty() && node.guestProcesses().isEmpty() && node.jobFilesLeft().isEmpty();
            } catch (java.io.IOException e) {
                return false;
            }
        }, Duration.ofSeconds(10), () -> "10 s after scancel: " + node.diagnosis(vm));
        assertEquals("CANCELLED", node.awaitEnd(vm, END), node.diagnosis(vm));
        assertTrue(vm.output().startsWith("booted\n"), "the output the payload produced: " + vm.output());
        String record = node.accounting(pilotJob, END);
        assertTrue(record.contains("\"exitCode\":null,\"failure\":\"cancelled\""), record);
    }

    @Test
    @Order(3)
    void aGuestThatNeverExitsIsBoundedByItsWalltime() throws Exception {
        Job vm = node.vmJob("walltime", "#!/bin/sh\necho booted\nwhile :; do sleep 1; done\n", "--time=1");
        String pilotJob = node.pilotJobOf(vm, BOOT);
        assertEquals("TIMEOUT", node.awaitEnd(vm, Duration.ofMinutes(5)), node.diagnosis(vm));
        String record = node.accounting(pilotJob, END);
        assertTrue(record.contains("\"exitCode\":null,\"failure\":\"cancelled\""), record);
        assertTrue(node.endOf(pilotJob).isPresent(), "the service logged the job's end: " + node.serviceLog());
    }

    @Test
    @Order(4)
    void slurmctldAndSlurmdRestartedWithVmJobsQueuedAndRunningLoseNone() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(node.vmJob("slurm-" + i, WAITS_FOR_GO));
        }
        AtomicInteger most = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                most.accumulateAndGet(node.guestProcesses().size(), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "vm-sampler");
        sampler.start();
        try {
            SlurmVmNode.awaitTrue(() -> jobs.stream().filter(WorkerNodeFaultsIT::booted).count() == 4, BOOT,
                    () -> "four of five VM jobs booted on four slots: " + node.diagnosis(jobs.get(0)));
            assertEquals(1, node.slurm.slurm("squeue", "-h", "-t", "PD", "-o", "%i").stdoutText().lines().count(),
                    "one waits for a slot: " + node.slurm.slurm("squeue").stdoutText());
            node.slurm.restartController();
            node.slurm.restartNode();
            node.assertNotDrained();
            Job plain = node.plainJob("slurm-plain", "#!/bin/sh\necho plain\n");
            for (Job j : jobs) {
                go(j);
            }
            for (Job j : jobs) {
                assertEquals("FAILED", node.awaitEnd(j, Duration.ofMinutes(6)), node.diagnosis(j));
                assertEquals("4:0", node.exitCode(j), "the payload's own exit code: " + node.diagnosis(j));
                assertEquals(List.of("booted", "done"), j.output().lines().toList(), "the payload's whole output");
                assertEquals("after\n", Files.readString(j.dir().resolve("after.txt")), "the file the payload wrote");
                String record = node.accounting(node.pilotJobOf(j, END), END);
                assertTrue(record.contains("\"exitCode\":4,\"failure\":null"), record);
            }
            assertEquals("COMPLETED", node.awaitEnd(plain, END), node.diagnosis(plain));
            assertEquals("plain\n", plain.output());
        } finally {
            sampling.set(false);
            sampler.join();
        }
        assertTrue(most.get() <= 4 && most.get() >= 1, "VMs at once on four slots: at most " + most.get());
    }

    private static boolean booted(Job j) {
        try {
            return j.output().lines().anyMatch("booted"::equals);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Tells a waiting payload to go on. */
    private static void go(Job j) throws java.io.IOException {
        Path go = Files.writeString(j.dir().resolve("go"), "");
        org.vmgrid.testing.Unprivileged.ownByPool(go);
    }
}
