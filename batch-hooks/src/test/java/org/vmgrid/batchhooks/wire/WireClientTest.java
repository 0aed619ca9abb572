package org.vmgrid.batchhooks.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotClient;
import org.vmgrid.pilot.PilotRequest;
import org.vmgrid.pilot.internal.service.Frames;

/**
 * The SPANK plugin's C client of the pilot service's wire format ({@code src/main/c/vmgrid_wire.h},
 * built here with gcc into a test harness) against the Java side ({@code Frames}, the service's own
 * code): byte for byte the golden frames the Java tests check too, hostile frames refused as the
 * Java decoder refuses them, the same verdict as the Java decoder on thousands of mutated frames,
 * and the whole client against a service played here (output, exit codes, failures, a service that
 * goes away, a cancel by SIGTERM).
 */
class WireClientTest {

    @TempDir
    static Path dir;

    static Path harness;
    static final Path GOLDEN = Path.of("../vm-pilot/pilot/src/test/resources/org/vmgrid/pilot/internal/service/frames");
    static final ProcessCommandRunner RUN = new ProcessCommandRunner();

    @BeforeAll
    static void build() throws Exception {
        harness = dir.resolve("wire_check");
        RUN.runChecked(Command.of(Duration.ofSeconds(120), "gcc", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Werror", "-O2",
                "-o", harness.toString(), "src/test/c/wire_check.c"));
    }

    /** The request of the Java tests' golden file (FramesTest.hostile()). */
    static PilotRequest hostile() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("Z_FIRST", "$(reboot)\n`id`; \"quoted\" 'single' \u00e9\u4e2d");
        env.put("A_SECOND", "");
        return new PilotRequest("sl6 ; rm -rf /", Path.of("/home/u/job dir/\u00e9"), OptionalInt.of(512), OptionalInt.empty(),
                Optional.of(NetworkMode.OUTBOUND), Duration.ofSeconds(90),
                List.of("sh", "-c", "echo $HOME > /dev/null; exit 3", "", "a\nb\u0001"), env);
    }

    /** The harness's encode input: the fields, each ended by a NUL. */
    static byte[] fields(PilotRequest r) {
        List<String> f = new ArrayList<>(List.of(r.image(), r.workdir().toString(), Integer.toString(r.memoryMiB().orElse(-1)),
                Integer.toString(r.cpus().orElse(-1)), r.network().map(NetworkMode::keyword).orElse(""),
                Long.toString(r.timeout().toSeconds()), Integer.toString(r.argv().size())));
        f.addAll(r.argv());
        f.add(Integer.toString(r.environment().size()));
        r.environment().forEach((k, v) -> {
            f.add(k);
            f.add(v);
        });
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String s : f) {
            b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        return b.toByteArray();
    }

    static CommandResult harness(byte[] stdin, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(harness.toString()));
        argv.addAll(List.of(args));
        return RUN.run(new Command(argv, Optional.empty(), Map.of(), stdin, Duration.ofSeconds(120)));
    }

    @Test
    void encodesTheGoldenRequestByteForByte() throws Exception {
        CommandResult r = harness(fields(hostile()), "encode");
        assertEquals(0, r.exitCode(), r.stderrText());
        assertArrayEquals(Files.readAllBytes(GOLDEN.resolve("request-hostile.bin")), r.stdout());
        ByteArrayOutputStream java = new ByteArrayOutputStream();
        byte[] body = Frames.request(hostile());
        Frames.write(java, Frames.REQUEST, body, 0, body.length);
        assertArrayEquals(java.toByteArray(), r.stdout(), "and as the Java client writes it");
    }

    @Test
    void refusesToSendWhatTheServiceWouldRefuse() throws Exception {
        byte[] notUtf8 = fields(new PilotRequest("img", Path.of("/w"), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty(), Duration.ofSeconds(5), List.of("sh", "-c", "X"), Map.of()));
        int x = indexOf(notUtf8, (byte) 'X');
        notUtf8[x] = (byte) 0xc3; // half a character
        CommandResult r = harness(notUtf8, "encode");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderrText().contains("not UTF-8"), r.stderrText());
        CommandResult relative = harness(fields(new PilotRequest("img", Path.of("w"), OptionalInt.empty(),
                OptionalInt.empty(), Optional.empty(), Duration.ofSeconds(5), List.of("true"), Map.of())), "encode");
        assertTrue(relative.stderrText().contains("not an absolute path"), relative.stderrText());
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = a.length - 1; i >= 0; i--) {
            if (a[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException();
    }

    /** What the Java client (PilotClient's loop over Frames) takes from a stream, in the harness's words. */
    static String javaVerdict(byte[] stream) {
        InputStream in = new ByteArrayInputStream(stream);
        StringBuilder b = new StringBuilder();
        try {
            while (true) {
                Optional<Frames.Frame> f = Frames.read(in);
                if (f.isEmpty()) {
                    return b + ".";
                }
                byte type = f.get().type();
                if (type == Frames.STDOUT || type == Frames.STDERR) {
                    b.append((char) type).append(' ').append(f.get().body().length).append(' ');
                    continue;
                }
                if (type != Frames.EXIT && type != Frames.FAILURE) {
                    return b + "! unknown type";
                }
                PilotClient.Result r = Frames.ending(f.get());
                String job = hex(r.jobId());
                return b + (r.exitCode().isPresent() ? "X " + job + " " + r.exitCode().get()
                        : "F " + job + " " + r.failure().get() + " " + hex(r.reason()));
            }
        } catch (IOException e) {
            return b + "! " + (e instanceof EOFException ? "cut" : "refused");
        }
    }

    private static String hex(String s) {
        return s.isEmpty() ? "-" : HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The C client's verdicts on cases, one line each; only whether and what was accepted is compared. */
    static List<String> cVerdicts(List<byte[]> cases) throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        for (byte[] c : cases) {
            in.writeBytes(ByteBuffer.allocate(4).putInt(c.length).array());
            in.writeBytes(c);
        }
        CommandResult r = harness(in.toByteArray(), "decode");
        assertEquals(0, r.exitCode(), r.stderrText());
        return r.stdoutText().lines().toList();
    }

    /** Verdicts compared: the same frames accepted, and both refuse at the same place. */
    private static String comparable(String verdict) {
        int bang = verdict.indexOf('!');
        return bang < 0 ? verdict : verdict.substring(0, bang + 1);
    }

    static byte[] frame(byte type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put(type).putInt(body.length).put(body).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    static byte[] str(byte[] s) {
        return ByteBuffer.allocate(4 + s.length).putInt(s.length).put(s).array();
    }

    static byte[] str(String s) {
        return str(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] i32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    @Test
    void decodesTheGoldenFramesAsTheJavaClientDoes() throws Exception {
        byte[] stdout = Files.readAllBytes(GOLDEN.resolve("stdout.bin"));
        byte[] exit = Files.readAllBytes(GOLDEN.resolve("exit.bin"));
        byte[] failure = Files.readAllBytes(GOLDEN.resolve("failure.bin"));
        List<byte[]> cases = List.of(concat(stdout, exit), concat(stdout, stdout, failure), new byte[0]);
        List<String> c = cVerdicts(cases);
        assertEquals("O 9 X " + hex("pilot-1b2c") + " 42", c.get(0));
        assertTrue(c.get(1).startsWith("O 9 O 9 F " + hex("pilot-1b2c") + " BOOT "), c.get(1));
        assertEquals(".", c.get(2));
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(javaVerdict(cases.get(i)), c.get(i));
        }
    }

    /** Hostile frames a rogue or broken service could send: every one refused, as Java refuses it. */
    @Test
    void refusesHostileFramesAsTheJavaDecoderDoes() throws Exception {
        byte[] job = str("j");
        Map<String, byte[]> hostile = new LinkedHashMap<>();
        hostile.put("cut header", new byte[] {'O', 0, 0});
        hostile.put("cut body", concat(new byte[] {'O', 0, 0, 0, 9}, "abc".getBytes()));
        hostile.put("oversized", concat(new byte[] {'O'}, i32((1 << 20) + 1)));
        hostile.put("negative length", concat(new byte[] {'O'}, i32(-1)));
        hostile.put("unknown type", frame((byte) 'Q', new byte[0]));
        hostile.put("exit code 256", frame(Frames.EXIT, concat(job, i32(256))));
        hostile.put("exit code -1", frame(Frames.EXIT, concat(job, i32(-1))));
        hostile.put("exit without code", frame(Frames.EXIT, job));
        hostile.put("bytes after the code", frame(Frames.EXIT, concat(job, i32(0), new byte[] {0})));
        hostile.put("unknown kind", frame(Frames.FAILURE, concat(job, str("HOSX"), str("r"))));
        hostile.put("kind lower case", frame(Frames.FAILURE, concat(job, str("host"), str("r"))));
        hostile.put("kind with NUL", frame(Frames.FAILURE, concat(job, str("HOST\0"), str("r"))));
        hostile.put("string longer than its frame", frame(Frames.EXIT, concat(i32(100), "j".getBytes(), i32(0))));
        hostile.put("string of negative length", frame(Frames.EXIT, concat(i32(-5), i32(0))));
        hostile.put("overlong slash", frame(Frames.EXIT, concat(str(new byte[] {(byte) 0xc0, (byte) 0xaf}), i32(0))));
        hostile.put("overlong 3 bytes", frame(Frames.EXIT, concat(str(new byte[] {(byte) 0xe0, (byte) 0x80, (byte) 0xaf}),
                i32(0))));
        hostile.put("surrogate", frame(Frames.EXIT, concat(str(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}), i32(0))));
        hostile.put("above U+10FFFF", frame(Frames.EXIT, concat(str(new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80,
                (byte) 0x80}), i32(0))));
        hostile.put("cut character", frame(Frames.FAILURE, concat(job, str("HOST"), str(new byte[] {'a', (byte) 0xe4,
                (byte) 0xb8}))));
        hostile.put("lone continuation", frame(Frames.FAILURE, concat(job, str("HOST"), str(new byte[] {(byte) 0x80}))));
        hostile.put("0xff", frame(Frames.FAILURE, concat(job, str("HOST"), str(new byte[] {(byte) 0xff}))));
        List<String> c = cVerdicts(new ArrayList<>(hostile.values()));
        int i = 0;
        for (Map.Entry<String, byte[]> h : hostile.entrySet()) {
            String v = c.get(i++);
            assertTrue(v.contains("!"), h.getKey() + " was taken: " + v);
            assertEquals(comparable(javaVerdict(h.getValue())), comparable(v), h.getKey());
        }
        // and what is valid at the edges is taken by both
        List<byte[]> edges = List.of(frame(Frames.EXIT, concat(str(""), i32(255))),
                frame(Frames.EXIT, concat(str(new byte[] {(byte) 0xf4, (byte) 0x8f, (byte) 0xbf, (byte) 0xbf, 0}), i32(0))),
                frame(Frames.FAILURE, concat(str("j"), str("LIMIT"), str(""))),
                concat(new byte[] {'E'}, i32(1 << 20), new byte[1 << 20], frame(Frames.EXIT, concat(job, i32(1)))));
        List<String> ce = cVerdicts(edges);
        for (int k = 0; k < edges.size(); k++) {
            assertTrue(!ce.get(k).contains("!"), ce.get(k));
            assertEquals(javaVerdict(edges.get(k)), ce.get(k));
        }
    }

    /** Thousands of frames mutated from valid ones (seeded): the C and the Java decoder agree on each. */
    @Test
    void agreesWithTheJavaDecoderOnMutatedFrames() throws Exception {
        Random random = new Random(20261203);
        List<byte[]> seeds = List.of(Files.readAllBytes(GOLDEN.resolve("exit.bin")),
                Files.readAllBytes(GOLDEN.resolve("failure.bin")),
                concat(Files.readAllBytes(GOLDEN.resolve("stdout.bin")), Files.readAllBytes(GOLDEN.resolve("exit.bin"))),
                frame(Frames.FAILURE, concat(str("j\u00e9"), str("CANCELLED"), str("\u4e2d\ud83d\ude00 x"))));
        List<byte[]> cases = new ArrayList<>();
        for (int n = 0; n < 6000; n++) {
            byte[] c = seeds.get(random.nextInt(seeds.size())).clone();
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                c = mutate(c, random);
            }
            cases.add(c);
        }
        List<String> c = cVerdicts(cases);
        int accepted = 0;
        for (int i = 0; i < cases.size(); i++) {
            String java = javaVerdict(cases.get(i));
            assertEquals(comparable(java), comparable(c.get(i)), "case " + i + ": " + HexFormat.of().formatHex(cases.get(i)));
            accepted += java.contains("!") ? 0 : 1;
        }
        assertTrue(accepted > 100 && accepted < cases.size() - 100, "the mutations hit both sides: " + accepted);
    }

    private static byte[] mutate(byte[] c, Random r) {
        switch (r.nextInt(6)) {
            case 0 -> { // flip a bit
                if (c.length > 0) {
                    c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return c;
            }
            case 1 -> { // cut
                return java.util.Arrays.copyOf(c, c.length == 0 ? 0 : r.nextInt(c.length));
            }
            case 2 -> { // a byte of the UTF-8 trouble makers
                byte[] bad = {(byte) 0xc0, (byte) 0xc2, (byte) 0xe0, (byte) 0xed, (byte) 0xf0, (byte) 0xf4, (byte) 0xf5,
                        (byte) 0x80, (byte) 0xbf, (byte) 0xa0, (byte) 0x90, (byte) 0xff, 0};
                if (c.length > 0) {
                    c[r.nextInt(c.length)] = bad[r.nextInt(bad.length)];
                }
                return c;
            }
            case 3 -> { // trailing bytes
                return concat(c, new byte[] {(byte) r.nextInt(256)});
            }
            case 4 -> { // a length field set to a nearby or a huge value
                if (c.length >= 9) {
                    int at = r.nextInt(c.length - 4);
                    int v = r.nextBoolean() ? r.nextInt(40) : r.nextInt();
                    ByteBuffer.wrap(c).putInt(at, v);
                }
                return c;
            }
            default -> { // a frame type
                if (c.length > 0) {
                    byte[] types = {'O', 'E', 'X', 'F', 'Q', 0};
                    c[0] = types[r.nextInt(types.length)];
                }
                return c;
            }
        }
    }

    /** A service played here: takes one request (checked by the Java decoder), answers with the frames given. */
    private static final class FakeService implements AutoCloseable {
        final Path socket;
        final ServerSocketChannel server;
        final AtomicReference<PilotRequest> request = new AtomicReference<>();
        final AtomicReference<String> ended = new AtomicReference<>("");
        final Thread thread;

        FakeService(Path socket, boolean waitForCancel, byte[]... answer) throws IOException {
            this.socket = socket;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = new Thread(() -> {
                try (SocketChannel ch = server.accept()) {
                    InputStream in = Channels.newInputStream(ch);
                    OutputStream out = Channels.newOutputStream(ch);
                    Frames.Frame f = Frames.read(in).orElseThrow();
                    request.set(Frames.request(f.body()));
                    for (byte[] a : answer) {
                        out.write(a);
                    }
                    if (waitForCancel) {
                        ended.set(Frames.read(in).isEmpty() ? "cancelled" : "more");
                        byte[] b = Frames.failure("j9", FailureKind.CANCELLED, "job j9 was cancelled; nothing of it is left");
                        out.write(frame(Frames.FAILURE, b));
                    }
                } catch (IOException e) {
                    ended.set("error " + e);
                }
            });
            thread.start();
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(10_000);
        }
    }

    private Process client(Path socket) throws IOException {
        return new ProcessBuilder(harness.toString(), "run", socket.toString(), "7cde03a6-0831-5ae2-b8c3-0b5d74e0fa5d",
                "/home/u/job", "256", "2", "none", "3600", "--", "/bin/sh", "-c", "echo hi", "slurm_script", "one")
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile()).start();
    }

    @Test
    void runsAJobRelayingItsOutputAndEndsWithItsExitCode() throws Exception {
        Path socket = dir.resolve("a.sock");
        try (FakeService s = new FakeService(socket, false, frame(Frames.STDOUT, "out 1\n".getBytes()),
                frame(Frames.STDERR, "err\n".getBytes()), frame(Frames.STDOUT, "out 2\n".getBytes()),
                frame(Frames.EXIT, Frames.exit("j1", 7)))) {
            Process p = client(socket);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(7, p.exitValue());
            assertEquals("out 1\nout 2\n", Files.readString(dir.resolve("out")));
            assertEquals("err\n", Files.readString(dir.resolve("err")));
            PilotRequest r = s.request.get();
            assertEquals(new PilotRequest("7cde03a6-0831-5ae2-b8c3-0b5d74e0fa5d", Path.of("/home/u/job"), OptionalInt.of(256),
                    OptionalInt.of(2), Optional.of(NetworkMode.NONE), Duration.ofSeconds(3600),
                    List.of("/bin/sh", "-c", "echo hi", "slurm_script", "one"), Map.of()), r);
        }
    }

    @Test
    void aFailureEndsWithItsExitCodeAndTheReason() throws Exception {
        Path socket = dir.resolve("b.sock");
        try (FakeService s = new FakeService(socket, false, frame(Frames.FAILURE,
                Frames.failure("j2", FailureKind.IMAGE, "image x is unusable: expired")))) {
            Process p = client(socket);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(75, p.exitValue());
            assertEquals("vmgrid pilot run: job j2: image x is unusable: expired\n", Files.readString(dir.resolve("err")));
        }
    }

    @Test
    void aServiceThatGoesAwayOrIsNotThereIsAHostFailureSayingSo() throws Exception {
        Path socket = dir.resolve("c.sock");
        try (FakeService s = new FakeService(socket, false, frame(Frames.STDOUT, "partial".getBytes()))) {
            Process p = client(socket);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(79, p.exitValue());
            assertTrue(Files.readString(dir.resolve("err")).contains("the pilot service at " + socket
                    + ": it closed the connection before the job's result; see the service's log"),
                    Files.readString(dir.resolve("err")));
        }
        Process p = client(dir.resolve("nobody.sock"));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(79, p.exitValue());
        assertTrue(Files.readString(dir.resolve("err")).startsWith("vmgrid pilot run: cannot reach the pilot service at "),
                Files.readString(dir.resolve("err")));
        try (FakeService s = new FakeService(dir.resolve("d.sock"), false, concat(new byte[] {'O'}, i32(-1)))) {
            Process q = client(dir.resolve("d.sock"));
            assertTrue(q.waitFor(60, TimeUnit.SECONDS));
            assertEquals(79, q.exitValue());
            assertTrue(Files.readString(dir.resolve("err")).contains("the connection failed: a frame larger than 1 MiB"),
                    Files.readString(dir.resolve("err")));
        }
    }

    @Test
    void sigtermCancelsTheJobInTheServiceAndWaitsForItsWord() throws Exception {
        Path socket = dir.resolve("e.sock");
        try (FakeService s = new FakeService(socket, true, frame(Frames.STDOUT, "started\n".getBytes()))) {
            Process p = client(socket);
            for (int i = 0; i < 600 && !Files.readString(dir.resolve("out")).contains("started"); i++) {
                Thread.sleep(50);
            }
            // Slurm's process tracking signals no process under the name of slurmstepd, whose fork runs this
            assertEquals("vmgrid\n", Files.readString(Path.of("/proc", Long.toString(p.pid()), "comm")),
                    "the name the running job's process goes by");
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(143, p.exitValue());
            s.thread.join(60_000);
            assertEquals("cancelled", s.ended.get(), "the service saw the client's end of the stream");
            assertEquals("vmgrid pilot run: job j9: job j9 was cancelled; nothing of it is left\n",
                    Files.readString(dir.resolve("err")));
        }
    }
}
