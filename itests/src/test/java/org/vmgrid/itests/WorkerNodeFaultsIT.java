package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** The node's {@code boot.timeout}, seconds: long, for guests that boot four at once on a loaded machine. */
    private static final int NODE_BOOT_TIMEOUT = 600;
    /** The boot timeout while a guest that never boots runs alone on the node, seconds. */
    private static final int NO_BOOT_TIMEOUT = 20;

    private static SlurmVmNode node;

    @BeforeAll
    static void startTheNode() throws Exception {
        node = SlurmVmNode.start("faults", NODE_BOOT_TIMEOUT, "");
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
        VmsAtOnce atOnce = VmsAtOnce.sample(node);
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
            atOnce.close();
        }
        assertTrue(atOnce.mostQemuProcesses() <= 4 && atOnce.mostQemuProcesses() >= 1, "four slots: " + atOnce);
    }

    /**
     * Twenty VM jobs submitted at once to the node's four VM slots, each a trivial payload with its own
     * output and exit code: SLURM runs them in waves of four, and at no moment do SLURM, libvirt or
     * the node's processes show more than four VMs.
     */
    @Test
    @Order(10)
    void twentyVmJobsAtOnceOnFourSlotsAllRunAtMostFourAtATimeNoneLost() throws Exception {
        List<Job> jobs = new ArrayList<>();
        VmsAtOnce atOnce = VmsAtOnce.sample(node);
        try {
            for (int i = 0; i < 20; i++) {
                jobs.add(node.vmJob("twenty-" + i, "#!/bin/sh\necho vm job " + i + "\nexit " + (10 + i) + "\n"));
            }
            for (int i = 0; i < 20; i++) {
                Job j = jobs.get(i);
                assertEquals("FAILED", node.awaitEnd(j, Duration.ofMinutes(15)), node.diagnosis(j));
                assertEquals((10 + i) + ":0", node.exitCode(j), "the payload's own exit code: " + node.diagnosis(j));
                assertEquals("vm job " + i + "\n", j.output(), "the payload's whole output");
                String record = node.accounting(node.pilotJobOf(j, END), END);
                assertTrue(record.contains("\"exitCode\":" + (10 + i) + ",\"failure\":null"), record);
            }
        } finally {
            atOnce.close();
        }
        assertEquals(4, atOnce.mostSlurmJobs(), "SLURM ran four at once: " + atOnce);
        assertEquals(4, atOnce.mostDomains(), "libvirt had four domains at once, never more: " + atOnce);
        assertEquals(4, atOnce.mostQemuProcesses(), "four QEMU processes at once, never more: " + atOnce);
    }

    /**
     * A guest that never boots: an image the site lists correctly (size, SHA-512), whose disk's boot
     * sector loops for ever, so that no guest agent ever says it is up. The pilot gives up at the
     * site's boot timeout and the job fails with the reason, the next job runs.
     *
     * <p>The boot timeout is one setting of the node's {@code pilot.properties}, read when the service
     * starts; it stays long for the other tests (four guests booting at once under TCG on a loaded
     * machine take minutes, and a short one would fail them at random). This test alone, with no
     * other VM on the node, restarts the service with {@value #NO_BOOT_TIMEOUT} s, as a site does
     * after changing the file, and restores the node's own before the next job: the guest never boots
     * however long it is given, so the short timeout cannot make the test flaky.
     */
    @Test
    @Order(11)
    void aGuestThatNeverBootsFailsAtTheBootTimeoutWithItsReasonAndTheNextJobRuns() throws Exception {
        byte[] disk = new byte[1 << 20];
        disk[0] = (byte) 0xeb; // jmp $: the BIOS boots it, and it loops for ever
        disk[1] = (byte) 0xfe;
        disk[510] = 0x55;
        disk[511] = (byte) 0xaa;
        Path image = Files.write(node.shared.resolve("never-boots.img"), disk);
        org.vmgrid.testing.Unprivileged.own(image);
        String uuid = java.util.UUID.randomUUID().toString();
        node.listImages(new org.vmgrid.testing.TestSite.ListedImage(uuid, image.toUri(), disk.length,
                org.vmgrid.testing.Sha512.of(image), "raw"));
        node.restartService(NO_BOOT_TIMEOUT);
        try {
            Job vm = node.vmJobOfImage(uuid, "never-boots", "#!/bin/sh\necho booted\n");
            String pilotJob = node.pilotJobOf(vm, BOOT);
            assertEquals("FAILED", node.awaitEnd(vm, END), node.diagnosis(vm));
            assertEquals("76:0", node.exitCode(vm), "exit code 76, the guest did not start the payload: " + vm.output());
            String reason = "image " + uuid + " ('appliance' version 1): the guest did not start the payload within "
                    + NO_BOOT_TIMEOUT + " s (the site's boot.timeout); the image did not boot on this node: run the job "
                    + "again or with another image, or ask the site to check this one (or to allow it longer)";
            assertTrue(vm.output().contains("vmgrid pilot run: job " + pilotJob + ": " + reason),
                    "the reason in the job's output: " + vm.output());
            assertTrue(vm.output().lines().noneMatch("booted"::equals), vm.output());
            String record = node.accounting(pilotJob, END);
            assertTrue(record.contains("\"exitCode\":null,\"failure\":\"boot\",\"reason\":\"" + reason), record);
            assertEquals(List.of(), node.libvirt.domains(), "domain destroyed and undefined");
            assertEquals(List.of(), node.jobFilesLeft(), "overlay, context ISO and channel files removed");
            Path console = node.site.state.resolve(".console/" + pilotJob + ".log");
            assertTrue(Files.exists(console) && record.contains("(console log: " + console + ")"),
                    "the guest's console kept for the site, and named: " + record);
        } finally {
            node.listImages();
            node.restartService(NODE_BOOT_TIMEOUT);
        }
        node.assertNothingLeft(END);
        Job next = node.vmJob("after-never-boots", "#!/bin/sh\necho next\n");
        assertEquals("COMPLETED", node.awaitEnd(next, BOOT), node.diagnosis(next));
        assertEquals("next\n", next.output());
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
