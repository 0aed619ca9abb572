package org.vmgrid.arcitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.testing.ArcClient;
import org.vmgrid.testing.LoopbackArc;
import org.vmgrid.testing.LoopbackSlurm;
import org.vmgrid.testing.Unprivileged;

/**
 * ARC's own client against ARC's own CE: A-REX and its LDAP infosys on loopback with the loopback
 * SLURM as batch system, one bring-up for every case. Jobs are submitted by {@code nobody} with a
 * proxy of the test CA's user certificate, and run as the mapped account.
 */
class ArcCeIT {

    private static final Duration JOB = Duration.ofMinutes(4);
    private static Path slurmDir;
    private static LoopbackSlurm slurm;
    private static LoopbackArc arc;
    private static ArcClient client;

    @BeforeAll
    static void startSlurmAndArc() throws Exception {
        slurmDir = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-arc-slurm");
        slurm = new LoopbackSlurm(slurmDir);
        arc = LoopbackArc.start(Files.createTempDirectory(Path.of("/tmp"), "vmgrid-arc-ce"), slurm,
                Unprivileged.USER + ":" + Unprivileged.GROUP, Optional.empty());
        client = ArcClient.withProxy(arc, Files.createTempDirectory(Path.of("/tmp"), "vmgrid-arc-client"), "nobody",
                "nogroup");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (arc != null) {
                arc.close();
            }
        } finally {
            try {
                if (slurm != null) {
                    slurm.close();
                }
            } finally {
                Unprivileged.deleteTree(slurmDir);
                if (client != null) {
                    Unprivileged.deleteTree(client.home());
                }
            }
        }
    }

    @Test
    void aPlainJobRunsThroughSlurmAndComesBackWithArcget() throws Exception {
        String job = client.submit("plain", """
                &(executable="/bin/sh")(arguments="-c" "echo plain on $(uname -n); id -un; echo made > out.txt; exit 0")
                 (stdout="stdout.txt")(stderr="stderr.txt")(outputfiles=("out.txt" ""))
                 (walltime="10 minutes")(memory="256")(jobname="vmgrid plain")
                """);
        CommandResult stat = client.awaitFinalState(job, JOB);
        assertEquals(Optional.of("Finished"), ArcClient.state(stat), stat.stdoutText() + client.arccatLog(job).stdoutText());
        CommandResult get = client.arcget(job);
        assertEquals(0, get.exitCode(), get.stdoutText() + get.stderrText());
        Path files = client.downloaded(job);
        String out = Files.readString(files.resolve("stdout.txt"));
        assertTrue(out.contains(Unprivileged.USER), "the job ran as the mapped account: " + out);
        assertEquals("made\n", Files.readString(files.resolve("out.txt")));
    }
}
