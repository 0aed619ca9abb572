package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vmgrid.itests.SlurmVmNode.Job;

/**
 * A site of three worker nodes ({@link SlurmVmNode#startCluster}): each node in network, mount and
 * UTS namespaces of its own on a bridge to slurmctld, with its own slurmd, libvirtd and pilot
 * service. SLURM spreads VM jobs over the nodes; then one node loses its power mid-job. SLURM
 * notices within its {@code SlurmdTimeout} and ends the lost node's job {@code NODE_FAIL} (the site
 * does not requeue: {@code JobRequeue=0}, the CE decides about a new attempt); the other nodes'
 * jobs go on to their end with output, exit code and accounting record. When the node comes back,
 * its pilot service reaps the orphaned job's files and writes its accounting record, and the node
 * takes jobs again. Nothing is left running or on disk.
 */
class MultiNodeIT {

    private static final Duration BOOT = Duration.ofMinutes(8);
    private static final Duration END = Duration.ofMinutes(3);

    private static SlurmVmNode cluster;

    @BeforeAll
    static void startTheNodes() throws Exception {
        cluster = SlurmVmNode.startCluster("wn", 600, "", 3, List.of("SlurmdTimeout=10", "JobRequeue=0"));
    }

    @AfterAll
    static void stopTheNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void vmJobsSpreadOverTheNodesAndANodeLostMidJobFailsOnlyItsJobWithItsReasonAndIsReapedWhenItComesBack()
            throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            jobs.add(cluster.vmJob("vm" + i, SlurmVmNode.WAITS_FOR_GO));
        }
        Map<Job, PilotHost> ranOn = new LinkedHashMap<>();
        Map<Job, String> pilotJobs = new LinkedHashMap<>();
        for (Job j : jobs) {
            cluster.awaitOutput(j, "booted", BOOT);
            PilotHost host = cluster.hostOf(j, END);
            ranOn.put(j, host);
            assertEquals(host.name, cluster.slurm.jobField(j.id(), "NodeList"), "SLURM's node ran its VM: "
                    + cluster.diagnosis(j));
            String pilotJob = host.pilotJobOf(j.dir(), END);
            pilotJobs.put(j, pilotJob);
            assertTrue(host.libvirt.domains().contains("vmgrid-" + pilotJob), "its node's libvirtd runs its VM: "
                    + host.libvirt.domains());
            for (PilotHost other : cluster.hosts) {
                if (other != host) {
                    assertFalse(other.libvirt.domains().contains("vmgrid-" + pilotJob), "only on " + host.name);
                    assertFalse(other.began(j.dir()), "only the service of " + host.name + " began it");
                }
            }
        }
        assertTrue(ranOn.values().stream().distinct().count() >= 2, "SLURM spread the VM jobs: " + ranOn);

        // the first job's node loses its power
        PilotHost lost = ranOn.get(jobs.get(0));
        List<Job> lostJobs = jobs.stream().filter(j -> ranOn.get(j) == lost).toList();
        long off = System.nanoTime();
        List<Long> killed = lost.powerOff();
        assertTrue(killed.contains(lost.service().pid()), "the service was among " + killed);
        assertTrue(lost.guestProcesses().isEmpty(), "its QEMU went with it: " + lost.guestProcesses());
        for (Job j : jobs) {
            j.go(); // too late for the lost node's: nothing of it runs to see it
        }

        for (Job j : lostJobs) {
            assertEquals("NODE_FAIL", cluster.awaitEnd(j, END), cluster.diagnosis(j));
            assertEquals("NodeDown", cluster.slurm.jobField(j.id(), "Reason"), cluster.diagnosis(j));
            assertEquals(List.of("booted"), j.output().lines().toList(), "what it printed before the loss");
        }
        System.out.printf("jobs on %d nodes; %s lost (%d processes killed); NODE_FAIL after %d s%n",
                ranOn.values().stream().distinct().count(), lost.name, killed.size(),
                Duration.ofNanos(System.nanoTime() - off).toSeconds());
        assertTrue(cluster.slurm.nodeState(lost.name).startsWith("down"), cluster.slurm.nodeState(lost.name));

        for (Job j : jobs) {
            if (ranOn.get(j) != lost) {
                assertEquals("FAILED", cluster.awaitEnd(j, END), cluster.diagnosis(j));
                assertEquals("4:0", cluster.exitCode(j), "the payload's own exit code: " + j.output());
                assertEquals(List.of("booted", "done"), j.output().lines().toList(), "the payload's whole output");
                assertEquals("after\n", Files.readString(j.dir().resolve("after.txt")));
                String record = ranOn.get(j).accounting(pilotJobs.get(j), END);
                assertTrue(record.contains("\"exitCode\":4,\"failure\":null"), record);
            }
        }

        // the power comes back: libvirtd, the pilot service and slurmd start again
        assertFalse(lost.jobFilesLeft().isEmpty(), "the lost job's files wait for the service's return");
        lost.powerOn();
        cluster.slurm.startSlurmd(lost.name);
        cluster.slurm.awaitIdleNode(lost.name);
        for (Job j : lostJobs) {
            String record = lost.accounting(pilotJobs.get(j), END);
            assertTrue(record.contains("\"exitCode\":null,\"failure\":\"host\""), record);
            assertTrue(record.contains("ended before"), record);
            System.out.println("the lost job's record: " + record);
        }
        System.out.println("the service that came back: " + lost.service().log().lines()
                .filter(l -> l.contains("reap")).toList());
        Job after = cluster.plainJob("after", "#!/bin/sh\nhostname\n", "--nodelist=" + lost.name);
        assertEquals("COMPLETED", cluster.awaitEnd(after, END), cluster.diagnosis(after));
        assertEquals(lost.name + "\n", after.output(), "it ran on the node that came back");
        cluster.assertNothingLeft(Duration.ofMinutes(1));
    }
}
