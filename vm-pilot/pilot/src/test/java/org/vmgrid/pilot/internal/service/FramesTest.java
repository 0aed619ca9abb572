package org.vmgrid.pilot.internal.service;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotClient;
import org.vmgrid.pilot.PilotRequest;

class FramesTest {

    private static PilotRequest hostile() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("Z_FIRST", "$(reboot)\n`id`; \"quoted\" 'single' \u00e9\u4e2d");
        env.put("A_SECOND", "");
        return new PilotRequest("sl6 ; rm -rf /", Path.of("/home/u/job dir/\u00e9"), OptionalInt.of(512), OptionalInt.empty(),
                Optional.of(NetworkMode.OUTBOUND), Duration.ofSeconds(90),
                List.of("sh", "-c", "echo $HOME > /dev/null; exit 3", "", "a\nb\u0001"), env);
    }

    @Test
    void aRequestComesBackExactlyWithOrderAndHostileTextIntact() throws IOException {
        PilotRequest r = hostile();
        PilotRequest back = Frames.request(Frames.request(r));
        assertEquals(r, back);
        assertEquals(List.of("Z_FIRST", "A_SECOND"), List.copyOf(back.environment().keySet()), "environment order kept");
    }

    @Test
    void framesRoundTripAndACleanEndIsEmpty() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] out = "chunk\0with nul".getBytes(StandardCharsets.UTF_8);
        Frames.write(buf, Frames.STDOUT, out, 0, out.length);
        byte[] x = Frames.exit("job-1", 7);
        Frames.write(buf, Frames.EXIT, x, 0, x.length);
        ByteArrayInputStream in = new ByteArrayInputStream(buf.toByteArray());
        Frames.Frame f = Frames.read(in).orElseThrow();
        assertEquals(Frames.STDOUT, f.type());
        assertTrue(Arrays.equals(out, f.body()));
        PilotClient.Result e = Frames.ending(Frames.read(in).orElseThrow());
        assertEquals(new PilotClient.Result("job-1", Optional.of(7), Optional.empty(), ""), e);
        assertEquals(Optional.empty(), Frames.read(in));
    }

    @Test
    void aFailureComesBackWithItsKindAndReason() throws IOException {
        byte[] b = Frames.failure("j", FailureKind.IMAGE, "image 'x' cannot be used: expired");
        assertEquals(new PilotClient.Result("j", Optional.empty(), Optional.of(FailureKind.IMAGE),
                "image 'x' cannot be used: expired"), Frames.ending(new Frames.Frame(Frames.FAILURE, b)));
    }

    @Test
    void anOversizedOrTruncatedFrameIsRefused() {
        byte[] huge = ByteBuffer.allocate(5).put(Frames.REQUEST).putInt(Frames.MAX_FRAME + 1).array();
        IOException e = assertThrows(IOException.class, () -> Frames.read(new ByteArrayInputStream(huge)));
        assertTrue(e.getMessage().contains("at most " + Frames.MAX_FRAME), e.getMessage());
        byte[] cut = ByteBuffer.allocate(7).put(Frames.STDOUT).putInt(10).put((byte) 1).put((byte) 2).array();
        assertThrows(IOException.class, () -> Frames.read(new ByteArrayInputStream(cut)));
        byte[] negative = ByteBuffer.allocate(5).put(Frames.STDOUT).putInt(-1).array();
        assertThrows(IOException.class, () -> Frames.read(new ByteArrayInputStream(negative)));
    }

    /** The request body with one int field (by index among the leading ints) replaced. */
    private static byte[] withVersion(int version) {
        byte[] b = Frames.request(hostile());
        ByteBuffer.wrap(b).putInt(0, version);
        return b;
    }

    private static String refusal(byte[] body) {
        return assertThrows(IOException.class, () -> Frames.request(body)).getMessage();
    }

    @Test
    void malformedRequestsAreRefusedSayingWhy() {
        assertTrue(refusal(withVersion(2)).contains("format version 2"));
        byte[] good = Frames.request(hostile());
        assertTrue(refusal(Arrays.copyOf(good, good.length - 1)).contains("ends inside a field"));
        assertTrue(refusal(Arrays.copyOf(good, good.length + 3)).contains("ends inside a field"));
        byte[] named = Frames.request(withCeJob(hostile(), "j1"));
        assertTrue(refusal(Arrays.copyOf(named, named.length + 7)).contains("3 bytes after the last field"));
        assertTrue(refusal(Arrays.copyOf(named, named.length + 3)).contains("ends inside a field"), "features cut short");
        assertTrue(refusal(new byte[0]).contains("ends inside a field"));
    }

    private static PilotRequest withCeJob(PilotRequest r, String ceJob) {
        return new PilotRequest(r.image(), r.workdir(), r.memoryMiB(), r.cpus(), r.network(), r.timeout(), r.argv(),
                r.environment(), Optional.of(ceJob));
    }

    @Test
    void theCeJobIsAnOptionalLastFieldARequestWithoutItIsTheFormatAsBefore() throws IOException {
        PilotRequest plain = new PilotRequest("img", Path.of("/w"), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty(), Duration.ofSeconds(5), List.of("true"), Map.of());
        byte[] before = request("/w", 5, List.of("true"), List.of(), "", IMAGE);
        assertTrue(Arrays.equals(before, Frames.request(plain)), "no CE job: not a byte more than before");
        assertEquals(Optional.empty(), Frames.request(before).ceJob(), "a client that sends none is read as before");
        String arc = "lvJMDmrWLtAoOSAtDmABFKDmABFKDmABFKDm9eGKDmCBFKDmw9hwWo";
        ByteArrayOutputStream named = new ByteArrayOutputStream();
        named.writeBytes(before);
        string(named, arc.getBytes(StandardCharsets.UTF_8));
        assertTrue(Arrays.equals(named.toByteArray(), Frames.request(withCeJob(plain, arc))), "the id after the variables");
        assertEquals(Optional.of(arc), Frames.request(named.toByteArray()).ceJob());
        for (String id : List.of("gsiftp://ce.example.org:2811/jobs/" + arc, "https://ce.example.org:8443/CREAM123456789")) {
            assertEquals(withCeJob(hostile(), id), Frames.request(Frames.request(withCeJob(hostile(), id))));
        }
    }

    private static PilotRequest offering(PilotRequest r, Optional<String> ceJob) {
        return new PilotRequest(r.image(), r.workdir(), r.memoryMiB(), r.cpus(), r.network(), r.timeout(), r.argv(),
                r.environment(), ceJob, true);
    }

    @Test
    void theJobdirOfferIsAFeatureIntAfterTheCeJobWhichIsThenEmptyWhenThereIsNone() throws IOException {
        PilotRequest plain = new PilotRequest("img", Path.of("/w"), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty(), Duration.ofSeconds(5), List.of("true"), Map.of());
        byte[] before = request("/w", 5, List.of("true"), List.of(), "", IMAGE);
        ByteArrayOutputStream offer = new ByteArrayOutputStream();
        offer.writeBytes(before);
        string(offer, new byte[0]);
        offer.writeBytes(new byte[] {0, 0, 0, 1});
        assertTrue(Arrays.equals(offer.toByteArray(), Frames.request(offering(plain, Optional.empty()))));
        PilotRequest read = Frames.request(offer.toByteArray());
        assertTrue(read.offersJobdir());
        assertEquals(Optional.empty(), read.ceJob(), "an empty id before the features is no id");
        assertEquals(offering(hostile(), Optional.of("ce.example.org:123")),
                Frames.request(Frames.request(offering(hostile(), Optional.of("ce.example.org:123")))));
        assertFalse(Frames.request(before).offersJobdir(), "a request as before offers nothing");
        assertFalse(Frames.request(Frames.request(withCeJob(plain, "x1"))).offersJobdir());
    }

    @Test
    void unknownFeatureBitsAnEmptyCeJobAtTheEndAndABadCapAreRefused() {
        byte[] before = request("/w", 5, List.of("true"), List.of(), "", IMAGE);
        ByteArrayOutputStream unknown = new ByteArrayOutputStream();
        unknown.writeBytes(before);
        string(unknown, new byte[0]);
        unknown.writeBytes(new byte[] {0, 0, 0, 3});
        IOException e = assertThrows(IOException.class, () -> Frames.request(unknown.toByteArray()));
        assertTrue(e.getMessage().contains("feature bits 0x2"), e.getMessage());
        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        empty.writeBytes(before);
        string(empty, new byte[0]);
        assertThrows(IOException.class, () -> Frames.request(empty.toByteArray()), "an empty CE job id alone");
        ByteArrayOutputStream trailing = new ByteArrayOutputStream();
        trailing.write(unknown.toByteArray(), 0, unknown.size() - 4);
        trailing.writeBytes(new byte[] {0, 0, 0, 1, 0});
        assertThrows(IOException.class, () -> Frames.request(trailing.toByteArray()), "a byte after the features");
        assertEquals(1L << 30, assertDoesNotThrow(() -> Frames.jobdirWanted(
                new Frames.Frame(Frames.JOBDIR_WANTED, Frames.jobdirWanted(1L << 30)))));
        assertThrows(IOException.class, () -> Frames.jobdirWanted(new Frames.Frame(Frames.JOBDIR_WANTED,
                Frames.jobdirWanted(0))));
        assertThrows(IOException.class, () -> Frames.jobdirWanted(new Frames.Frame(Frames.JOBDIR_WANTED, new byte[4])));
    }

    @Test
    void aCeJobIdThatCouldForgeARecordOrALogLineIsRefused() {
        for (String bad : List.of("", "a b", "a\"b", "a\nb", "a\\b", "-x", "/abs", "j\u00e9", "a'b", "a;b", "x".repeat(257))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(request("/w", 5, List.of("true"), List.of(), "", IMAGE));
            string(b, bad.getBytes(StandardCharsets.UTF_8));
            assertTrue(refusal(b.toByteArray()).startsWith("a CE job id is 1-256 letters, digits"), bad);
        }
        assertEquals(Optional.of("x".repeat(256)), assertDoesNotThrowRead("x".repeat(256)));
    }

    private static Optional<String> assertDoesNotThrowRead(String id) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(request("/w", 5, List.of("true"), List.of(), "", IMAGE));
        string(b, id.getBytes(StandardCharsets.UTF_8));
        try {
            return Frames.request(b.toByteArray()).ceJob();
        } catch (IOException e) {
            throw new AssertionError(id + ": " + e.getMessage(), e);
        }
    }

    private static byte[] request(String workdir, long timeout, List<String> argv, List<String> envPairs, String net,
            byte[] rawImage) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ByteBuffer head = ByteBuffer.allocate(4).putInt(Frames.VERSION);
        b.writeBytes(head.array());
        string(b, rawImage);
        string(b, workdir.getBytes(StandardCharsets.UTF_8));
        b.writeBytes(ByteBuffer.allocate(8).putInt(-1).putInt(-1).array());
        string(b, net.getBytes(StandardCharsets.UTF_8));
        b.writeBytes(ByteBuffer.allocate(8).putLong(timeout).array());
        b.writeBytes(ByteBuffer.allocate(4).putInt(argv.size()).array());
        argv.forEach(a -> string(b, a.getBytes(StandardCharsets.UTF_8)));
        b.writeBytes(ByteBuffer.allocate(4).putInt(envPairs.size() / 2).array());
        envPairs.forEach(a -> string(b, a.getBytes(StandardCharsets.UTF_8)));
        return b.toByteArray();
    }

    private static void string(ByteArrayOutputStream b, byte[] s) {
        b.writeBytes(ByteBuffer.allocate(4).putInt(s.length).array());
        b.writeBytes(s);
    }

    private static final byte[] IMAGE = "img".getBytes(StandardCharsets.UTF_8);

    @Test
    void requestsOutsideWhatAJobMayAskAreRefused() throws IOException {
        assertEquals("img", Frames.request(request("/w", 5, List.of("true"), List.of(), "", IMAGE)).image());
        assertTrue(refusal(request("w/rel", 5, List.of("true"), List.of(), "", IMAGE)).contains("absolute"));
        assertTrue(refusal(request("/w\0x", 5, List.of("true"), List.of(), "", IMAGE)).contains("absolute"));
        assertTrue(refusal(request("/w", 0, List.of("true"), List.of(), "", IMAGE)).contains("timeout"));
        assertTrue(refusal(request("/w", 5, List.of(), List.of(), "", IMAGE)).contains("needs a command"));
        assertTrue(refusal(request("/w", 5, List.of("true"), List.of("A", "1", "A", "2"), "", IMAGE)).contains("twice"));
        assertTrue(refusal(request("/w", 5, List.of("true"), List.of(), "bridged", IMAGE)).contains("none or outbound"));
        assertTrue(refusal(request("/w", 5, List.of("true"), List.of(), "", new byte[] {(byte) 0xc3, 0x28}))
                .contains("not UTF-8"));
    }

    @Test
    void aCountBeyondTheCapIsRefusedBeforeAnythingIsAllocated() {
        byte[] body = request("/w", 5, List.of("true"), List.of(), "", IMAGE);
        // the argv count sits right after the timeout: replace it by the cap + 1
        int at = 4 + 4 + IMAGE.length + 4 + 2 + 8 + 4 + 8;
        ByteBuffer.wrap(body).putInt(at, Frames.MAX_ITEMS + 1);
        assertTrue(refusal(body).contains("at most " + Frames.MAX_ITEMS), refusal(body));
    }

    @Test
    void anEndingWithAnImpossibleExitCodeOrKindIsRefused() {
        assertThrows(IOException.class, () -> Frames.ending(new Frames.Frame(Frames.EXIT, Frames.exit("j", 256))));
        byte[] bad = Frames.failure("j", FailureKind.HOST, "r");
        byte[] kind = Arrays.copyOf(bad, bad.length);
        // "HOST" -> "HOSX"
        kind[4 + 1 + 4 + 3] = 'X';
        assertThrows(IOException.class, () -> Frames.ending(new Frames.Frame(Frames.FAILURE, kind)));
    }
}
