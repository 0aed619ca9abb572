package org.vmgrid.batchhooks.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.LoopbackGridEngine;
import org.vmgrid.testing.Unprivileged;

/**
 * A job's last leg on a real Grid Engine: a loopback qmaster and execd (Son of Grid Engine 8.1.9)
 * with a plain queue and a VM queue. Jobs are submitted with {@code qsub} as the unprivileged user.
 */
class GridEngineStarterIT {

    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();
    private static Path shared;
    private static Path sgeDir;
    private static LoopbackGridEngine sge;
    private static Path work;

    @BeforeAll
    static void startGridEngine() throws Exception {
        shared = Unprivileged.newDirectory("vmgrid-sge-it");
        work = Files.createDirectories(shared.resolve("work"));
        Unprivileged.own(shared);
        sgeDir = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-sge-cell");
        sge = new LoopbackGridEngine(sgeDir);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (sge != null) {
                sge.close();
            }
        } finally {
            Unprivileged.deleteTree(sgeDir);
            Unprivileged.deleteTree(shared);
        }
    }

    /** Submits a batch script as the unprivileged user from the work directory; answers the job id. */
    private static String qsub(String name, String script, List<String> args, String... options) throws IOException {
        Path file = work.resolve(name + ".sh");
        Files.writeString(file, script);
        Unprivileged.own(file);
        List<String> argv = new ArrayList<>(List.of("qsub", "-terse", "-cwd", "-o", work.resolve(name + ".out").toString(),
                "-e", work.resolve(name + ".err").toString()));
        argv.addAll(List.of(options));
        argv.add(file.toString());
        argv.addAll(args);
        CommandResult r = sge.clientAs(Unprivileged.as(work), work, argv.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stdoutText() + r.stderrText());
        return r.stdoutText().strip();
    }

    @Test
    void aPlainJobRunsOnTheHostUntouched() throws Exception {
        String id = qsub("plain", "#!/bin/sh\nuname -r\necho \"queue $QUEUE args $*\"\nexit 5\n", List.of("one", "two words"));
        Map<String, String> record = sge.awaitEnd(id, Duration.ofMinutes(2));
        assertEquals("5", record.get("exit_status"), record.toString());
        assertEquals("0", record.get("failed"), record.toString());
        assertEquals(hostKernel() + "\nqueue " + LoopbackGridEngine.PLAIN_QUEUE + " args one two words\n",
                Files.readString(work.resolve("plain.out")));
        assertEquals("", Files.readString(work.resolve("plain.err")));
    }

    private static String hostKernel() {
        return RUN.runChecked(Command.of(Duration.ofSeconds(5), "uname", "-r")).stdoutText().strip();
    }
}
