package org.vmgrid.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.info.internal.SlurmBatchStatus;

/** Replays recorded squeue/sinfo output, keyed by the exact argv the reader runs. */
class SlurmBatchStatusTest {

    private static final String SQUEUE = "squeue --noheader --all --states=PENDING,CONFIGURING,RUNNING,COMPLETING --format=%T|%k";
    private static final String SINFO = "sinfo --noheader --Node --format=%N|%f|%G|%t";

    private static CommandRunner replaying(Map<String, String> recordings, int exit) {
        CommandRunner r = mock(CommandRunner.class);
        when(r.run(any())).thenAnswer(inv -> {
            Command c = inv.getArgument(0);
            String key = String.join(" ", c.argv());
            String file = recordings.get(key);
            if (file == null) {
                throw new AssertionError("unexpected command: " + key);
            }
            byte[] out = Files.readAllBytes(Path.of("src/test/resources/slurm", file));
            return new CommandResult(c, exit, exit == 0 ? out : new byte[0],
                    exit == 0 ? new byte[0] : "slurm_load_jobs error: Unable to contact slurm controller".getBytes(StandardCharsets.UTF_8));
        });
        when(r.runChecked(any())).thenCallRealMethod();
        return r;
    }

    @Test
    void countsVmJobsAndSlotsOfUpVmNodesOnly() throws IOException {
        VmJobCounts c = new SlurmBatchStatus(replaying(Map.of(SQUEUE, "squeue.txt", SINFO, "sinfo.txt"), 0),
                Duration.ofSeconds(5)).read();
        // node1 4 (listed in two partitions, counted once) + node2 2; node3 drained, node4 down*, node5 not vmgrid
        assertEquals(new VmJobCounts(6, 3, 2), c);
        assertEquals(3, c.free());
    }

    @Test
    void aFailingSlurmCommandIsReportedWithItsStderr() {
        SlurmBatchStatus s = new SlurmBatchStatus(replaying(Map.of(SQUEUE, "squeue.txt", SINFO, "sinfo.txt"), 1),
                Duration.ofSeconds(5));
        InfoException e = assertThrows(InfoException.class, s::read);
        assertTrue(e.getMessage().contains("Unable to contact slurm controller"), e.getMessage());
    }

    @Test
    void anUnreadableSinfoLineIsRefused() {
        SlurmBatchStatus s = new SlurmBatchStatus(replaying(Map.of(SQUEUE, "squeue.txt", SINFO, "sinfo-bad.txt"), 0),
                Duration.ofSeconds(5));
        InfoException e = assertThrows(InfoException.class, s::read);
        assertTrue(e.getMessage().contains("node|features|gres|state"), e.getMessage());
    }
}
