package org.vmgrid.blahservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.Lrms;
import org.vmgrid.blahservice.BlahHookHarness.Blah;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.testing.LoopbackSlurm;

/**
 * The contract: every request file BLAH's real unwinder wrote (src/test/resources/blah-requests), as
 * it is, through each batch system's hook the way each BLAH runs it, appended to a submit script;
 * for SLURM the script is submitted to a real loopback SLURM and {@code scontrol show job} shows
 * what the job got. Then the same files with vmgrid in every broken state: a plain job still gets
 * nothing, a VM request a visible refusal.
 */
class BlahContractIT {

    @TempDir
    static Path dir;
    private static LoopbackSlurm slurm;
    private static BlahHookHarness blah;
    private static final List<Case> CASES = new ArrayList<>();
    private static int jobs;

    /** One line of cases.tsv. */
    record Case(String file, String kind, String expected, String request) {
    }

    @BeforeAll
    static void start() throws Exception {
        // munged runs as user munge and must reach its socket and key below the temporary directory
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String line : HookRequestTest.resource("cases.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            CASES.add(new Case(f[0], f[1], f[2], HookRequestTest.resource(f[0])));
        }
        assertEquals(9, CASES.size());
        blah = BlahHookHarness.withoutVoPolicy(dir.resolve("ce"), TestImages.CONTRACT_UUID);
        slurm = new LoopbackSlurm(Files.createDirectories(dir.resolve("slurm")));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (slurm != null) {
                slurm.close();
            }
        } finally {
            if (blah != null) {
                blah.close();
            }
        }
    }

    private static String refusal(Lrms lrms, Refusal why) {
        return String.join("\n", why.directives(lrms)) + "\n";
    }

    /** A hook run as its BLAH takes it: blahp aborts on a non-zero exit, prelz BLAH drops the exit and stderr. */
    private static void assertRanCleanly(BlahHookHarness.HookRun run, String what) {
        if (!run.blah().dropsStderr()) {
            assertEquals(0, run.exitCode(), what + ": " + run.stderr());
        }
    }

    @Test
    void everyRequestFileThroughEveryHookAsEachBlahRunsIt() throws IOException {
        for (Case c : CASES) {
            for (Blah how : Blah.SUPPORTED) {
                for (Lrms lrms : Lrms.values()) {
                    String what = how + " " + lrms.keyword() + " " + c.file();
                    BlahHookHarness.HookRun run = blah.run(how, lrms, c.request());
                    assertRanCleanly(run, what);
                    switch (c.kind()) {
                        case "plain" -> assertEquals("", run.stdout(), what);
                        case "vm" -> {
                            assertFalse(run.stdout().isEmpty(), what + ": a VM request got nothing");
                            assertFalse(run.stdout().contains("efused"), what + ": " + run.stdout() + run.stderr());
                            if (lrms == Lrms.SLURM) {
                                assertTrue(run.lines().contains("#SBATCH --comment=" + c.expected()), what + ": " + run.stdout());
                            }
                        }
                        case "refuse" -> assertEquals(refusal(lrms, Refusal.valueOf(c.expected().toUpperCase().replace('-', '_'))),
                                run.stdout(), what + ": " + run.stderr());
                        default -> throw new IllegalStateException("unknown kind " + c.kind());
                    }
                }
            }
        }
    }

    @Test
    void slurmTakesWhatTheHookPrintedForEveryRequestFile() throws IOException {
        for (Case c : CASES) {
            for (Blah how : Blah.SUPPORTED) {
                String what = how + " " + c.file();
                String name = "contract" + (++jobs);
                Path script = dir.resolve(name + ".sh");
                Files.writeString(script, BlahHookHarness.slurmSubmitScript(how, name,
                        blah.run(how, Lrms.SLURM, c.request()).stdout()));
                CommandResult sub = slurm.sbatch(script);
                switch (c.kind()) {
                    case "plain" -> {
                        assertEquals(0, sub.exitCode(), what + ": " + sub.stderrText());
                        String job = showJob(sub);
                        assertTrue(job.contains("Features=(null)"), what + ": " + job);
                        assertFalse(job.contains("Comment=vmgrid"), what + ": " + job);
                    }
                    case "vm" -> {
                        assertEquals(0, sub.exitCode(), what + ": " + sub.stderrText());
                        String job = showJob(sub);
                        String mem = c.expected().replaceAll(".*,mem=([0-9]+),.*", "$1");
                        String cpus = c.expected().replaceAll(".*,cpus=([0-9]+),.*", "$1");
                        assertTrue(job.contains("Features=vmgrid "), what + ": " + job);
                        assertTrue(job.contains("MinMemoryNode=" + (Integer.parseInt(mem) + 256) + "M"), what + ": " + job);
                        assertTrue(job.contains("CPUs/Task=" + cpus), what + ": " + job);
                        assertTrue(job.contains("TresPerNode=gres:vmslot:1"), what + ": " + job);
                        assertTrue(job.contains("Comment=" + c.expected()), what + ": " + job);
                    }
                    case "refuse" -> {
                        assertNotEquals(0, sub.exitCode(), what + ": a refused VM job was submitted");
                        assertTrue(sub.stderrText().contains("--vmgrid-refused=" + c.expected()), what + ": " + sub.stderrText());
                    }
                    default -> throw new IllegalStateException("unknown kind " + c.kind());
                }
            }
        }
    }

    private static String showJob(CommandResult sub) {
        CommandResult r = slurm.slurm("scontrol", "show", "job", "-d", sub.stdoutText().trim().replaceAll("\\D", ""));
        assertEquals(0, r.exitCode(), r.stderrText());
        return r.stdoutText();
    }

    /**
     * vmgrid broken in every way a site can break it: no service on the socket, the socket a plain
     * file, the helper missing or not executable, a service answering something that is no directive.
     * Plain jobs get nothing; every VM request (well-formed or hostile) the refusal service-unavailable.
     */
    @Test
    void whateverStateVmgridIsInAPlainJobGetsNothingAndAVmRequestARefusal() throws IOException {
        Path states = Files.createDirectories(dir.resolve("broken"));
        Path notExecutable = states.resolve("vmgrid-hook-client");
        Files.copy(BlahHookHarness.CLIENT, notExecutable);
        Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
        Path plainFile = Files.writeString(states.resolve("not-a-socket"), "x");
        Map<String, Path> broken = new LinkedHashMap<>();
        broken.put("no service", BlahHookHarness.installHooks(Files.createDirectories(states.resolve("no-service")),
                states.resolve("nobody-listens.sock"), BlahHookHarness.CLIENT));
        broken.put("socket is a file", BlahHookHarness.installHooks(Files.createDirectories(states.resolve("file")),
                plainFile, BlahHookHarness.CLIENT));
        broken.put("helper missing", BlahHookHarness.installHooks(Files.createDirectories(states.resolve("no-helper")),
                blah.socket(), states.resolve("missing/vmgrid-hook-client")));
        broken.put("helper not executable", BlahHookHarness.installHooks(Files.createDirectories(states.resolve("noexec")),
                blah.socket(), notExecutable));
        try (GarbageService garbage = new GarbageService(states.resolve("garbage.sock"))) {
            broken.put("service answers garbage", BlahHookHarness.installHooks(
                    Files.createDirectories(states.resolve("garbage")), garbage.socket, BlahHookHarness.CLIENT));
            for (Map.Entry<String, Path> state : broken.entrySet()) {
                for (Case c : CASES) {
                    for (Blah how : Blah.SUPPORTED) {
                        for (Lrms lrms : List.of(Lrms.SLURM, Lrms.PBS, Lrms.SGE, Lrms.LSF, Lrms.CONDOR)) {
                            String what = state.getKey() + ": " + how + " " + lrms.keyword() + " " + c.file();
                            BlahHookHarness.HookRun run = blah.run(how, lrms, c.request(), state.getValue());
                            assertRanCleanly(run, what);
                            assertEquals(c.kind().equals("plain") ? "" : refusal(lrms, Refusal.SERVICE_UNAVAILABLE),
                                    run.stdout(), what);
                        }
                    }
                }
            }
        }
    }

    /**
     * prelz BLAH as it is written, where /bin/sh is dash (Debian): its script sources the hook with
     * {@code source}, which dash does not have, so no hook at all runs, vmgrid's or any other. Such
     * a CE must give BLAH a bash /bin/sh (docs/install-cream.md).
     */
    @Test
    void prelzBlahAsWrittenRunsNoHookWhereShIsDash() throws IOException {
        for (Case c : CASES) {
            BlahHookHarness.HookRun run = blah.run(Blah.PRELZ_AS_WRITTEN_UNDER_DASH, Lrms.SLURM, c.request());
            assertEquals("", run.stdout(), c.file());
            assertTrue(run.stderr().contains("source: not found"), run.stderr());
        }
    }

    /** A service on a unix socket that answers every request with a line no directive may be. */
    static final class GarbageService implements AutoCloseable {
        final Path socket;
        private final ServerSocketChannel server;
        private final Thread thread;

        GarbageService(Path socket) throws IOException {
            this.socket = socket;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = new Thread(() -> {
                while (server.isOpen()) {
                    try (SocketChannel c = server.accept()) {
                        ByteBuffer in = ByteBuffer.allocate(1 << 20);
                        while (c.read(in) >= 0 && in.hasRemaining()) {
                            // read the request to its end
                        }
                        c.write(ByteBuffer.wrap("print #SBATCH --comment=$(touch /tmp/PWN)\nprint hold = True\n"
                                .getBytes(StandardCharsets.US_ASCII)));
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "garbage-hook-service");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            Files.deleteIfExists(socket);
        }
    }
}
