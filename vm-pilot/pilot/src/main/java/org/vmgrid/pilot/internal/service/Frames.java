package org.vmgrid.pilot.internal.service;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotClient;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.PilotRequest;

/**
 * The pilot service's wire format on its unix socket. Every frame is a type byte, a 4-byte
 * big-endian length and that many bytes. The client sends one {@link #REQUEST} and then nothing: its
 * end of the stream (a half-close, or its death) cancels the job. The service sends
 * {@link #STDOUT} and {@link #STDERR} chunks as the payload writes them, then one {@link #EXIT} or
 * {@link #FAILURE}, and closes. Decoding trusts nothing: sizes, counts and UTF-8 are checked, and
 * a frame must be used up exactly.
 *
 * <p>A request's body: the version (int), image, workdir (strings), memory MiB and CPUs (ints, -1
 * for the site's default), network (string, empty for none), timeout seconds (long), the argument
 * count and the arguments, the variable count and each name and value; then, optionally, the CE's
 * job id (a string of the form {@link PilotJob#CE_JOB}): a request without it ends after the
 * variables, as every request did before it was added, and is read as before; then, optionally, the
 * features the client offers (an int of {@link #OFFERS_JOBDIR} bits), after the CE's job id, which is
 * then the empty string when there is none. An int is 4 bytes big-endian, a long 8, a string an int
 * length and that many bytes of UTF-8.
 *
 * <p>A client that offers {@link #OFFERS_JOBDIR} packs the job directory itself, as the job's user,
 * for a guest that takes it on disks (a stock cloud-init image): the service asks with one
 * {@link #JOBDIR_WANTED} (the most bytes the archive may take, a long), the client answers with the
 * tar archive in {@link #JOBDIR_IN} frames and an empty one at its end; before the result the
 * service sends what the guest returned, checked entry by entry, as a tar archive in
 * {@link #JOBDIR_BACK} frames, which the client unpacks into the job directory as the job's user.
 * Otherwise a client sends nothing after its request.
 */
public final class Frames {

    /** The version of this format, first in a request. */
    public static final int VERSION = 1;
    public static final byte REQUEST = 'Q';
    public static final byte STDOUT = 'O';
    public static final byte STDERR = 'E';
    public static final byte EXIT = 'X';
    public static final byte FAILURE = 'F';
    /** Service to client: pack the job directory, at most this many bytes (a long). */
    public static final byte JOBDIR_WANTED = 'A';
    /** Client to service: a chunk of the job directory's archive; an empty one ends it. */
    public static final byte JOBDIR_IN = 'I';
    /** Service to client: a chunk of the archive of what the guest returned. */
    public static final byte JOBDIR_BACK = 'R';

    /** A feature bit of a request: the client packs and unpacks the job directory when asked. */
    public static final int OFFERS_JOBDIR = 1;

    /** The largest frame either side accepts. */
    public static final int MAX_FRAME = 1 << 20;
    /** The most arguments or environment variables a request may carry. */
    public static final int MAX_ITEMS = 4096;

    private Frames() {
    }

    /** One frame as read. */
    public record Frame(byte type, byte[] body) {
    }

    /** Writes one frame; the caller serialises writers. */
    public static void write(OutputStream out, byte type, byte[] body, int off, int len) throws IOException {
        byte[] head = ByteBuffer.allocate(5).put(type).putInt(len).array();
        out.write(head);
        out.write(body, off, len);
        out.flush();
    }

    /** Reads one frame; empty at a clean end of stream before its first byte. */
    public static Optional<Frame> read(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return Optional.empty();
        }
        DataInputStream d = new DataInputStream(in);
        int len = d.readInt();
        if (len < 0 || len > MAX_FRAME) {
            throw new IOException("a frame of " + Integer.toUnsignedString(len) + " bytes (at most " + MAX_FRAME + ")");
        }
        byte[] body = new byte[len];
        d.readFully(body);
        return Optional.of(new Frame((byte) type, body));
    }

    /** The body of a {@link #REQUEST} frame. */
    public static byte[] request(PilotRequest r) {
        Body b = new Body();
        b.integer(VERSION);
        b.string(r.image());
        b.string(r.workdir().toString());
        b.integer(r.memoryMiB().orElse(-1));
        b.integer(r.cpus().orElse(-1));
        b.string(r.network().map(NetworkMode::keyword).orElse(""));
        b.longValue(r.timeout().toSeconds());
        b.integer(r.argv().size());
        r.argv().forEach(b::string);
        b.integer(r.environment().size());
        r.environment().forEach((k, v) -> {
            b.string(k);
            b.string(v);
        });
        if (r.offersJobdir()) {
            b.string(r.ceJob().orElse(""));
            b.integer(OFFERS_JOBDIR);
        } else {
            r.ceJob().ifPresent(b::string);
        }
        return b.bytes();
    }

    /**
     * Reads a {@link #REQUEST} body.
     *
     * @throws IOException saying what is wrong with it
     */
    public static PilotRequest request(byte[] body) throws IOException {
        Reader r = new Reader(body);
        int version = r.integer();
        if (version != VERSION) {
            throw new IOException("request format version " + version + ", this service speaks " + VERSION
                    + "; use the vmgrid of this installation");
        }
        String image = r.string();
        String workdir = r.string();
        if (!workdir.startsWith("/") || workdir.indexOf('\0') >= 0) {
            throw new IOException("the workdir must be an absolute path");
        }
        int mem = r.integer();
        int cpus = r.integer();
        String net = r.string();
        Optional<NetworkMode> network = Optional.empty();
        if (!net.isEmpty()) {
            network = Optional.of(NetworkMode.fromKeyword(net).orElseThrow(
                    () -> new IOException("network must be none or outbound")));
        }
        long timeout = r.longValue();
        if (timeout <= 0 || timeout > Duration.ofDays(366).toSeconds()) {
            throw new IOException("the timeout must be 1 s to 366 days");
        }
        List<String> argv = new ArrayList<>();
        for (int i = 0, n = r.count(); i < n; i++) {
            argv.add(r.string());
        }
        if (argv.isEmpty()) {
            throw new IOException("a payload needs a command");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0, n = r.count(); i < n; i++) {
            String k = r.string();
            if (env.put(k, r.string()) != null) {
                throw new IOException("variable " + k.replaceAll("[^\\x20-\\x7e]", "?") + " is given twice");
            }
        }
        Optional<String> ceJob = Optional.empty();
        int features = 0;
        if (r.hasMore()) {
            String id = r.string();
            boolean more = r.hasMore();
            if (!(more && id.isEmpty())) {
                Optional<String> problem = PilotJob.ceJobProblem(id);
                if (problem.isPresent()) {
                    throw new IOException(problem.get());
                }
                ceJob = Optional.of(id);
            }
            if (more) {
                features = r.integer();
                if ((features & ~OFFERS_JOBDIR) != 0) {
                    throw new IOException("feature bits 0x" + Integer.toHexString(features & ~OFFERS_JOBDIR)
                            + " this service does not know; use the vmgrid of this installation");
                }
            }
        }
        r.end();
        return new PilotRequest(image, Path.of(workdir), mem < 0 ? OptionalInt.empty() : OptionalInt.of(mem),
                cpus < 0 ? OptionalInt.empty() : OptionalInt.of(cpus), network, Duration.ofSeconds(timeout), argv, env,
                ceJob, (features & OFFERS_JOBDIR) != 0);
    }

    /** The body of a {@link #JOBDIR_WANTED} frame. */
    public static byte[] jobdirWanted(long maxBytes) {
        return ByteBuffer.allocate(8).putLong(maxBytes).array();
    }

    /** Reads a {@link #JOBDIR_WANTED} body: the most bytes the archive may take. */
    public static long jobdirWanted(Frame f) throws IOException {
        Reader r = new Reader(f.body());
        long max = r.longValue();
        r.end();
        if (max <= 0) {
            throw new IOException("a job directory cap of " + max + " bytes");
        }
        return max;
    }

    /** The body of an {@link #EXIT} frame. */
    public static byte[] exit(String jobId, int code) {
        Body b = new Body();
        b.string(jobId);
        b.integer(code);
        return b.bytes();
    }

    /** The body of a {@link #FAILURE} frame. */
    public static byte[] failure(String jobId, FailureKind kind, String reason) {
        Body b = new Body();
        b.string(jobId);
        b.string(kind.name());
        b.string(reason);
        return b.bytes();
    }

    /** Reads an {@link #EXIT} or {@link #FAILURE} body. */
    public static PilotClient.Result ending(Frame f) throws IOException {
        Reader r = new Reader(f.body());
        String job = r.string();
        PilotClient.Result e;
        if (f.type() == EXIT) {
            int code = r.integer();
            if (code < 0 || code > 255) {
                throw new IOException("an exit code of " + code);
            }
            e = new PilotClient.Result(job, Optional.of(code), Optional.empty(), "");
        } else {
            String kind = r.string();
            FailureKind k;
            try {
                k = FailureKind.valueOf(kind);
            } catch (IllegalArgumentException x) {
                throw new IOException("an unknown failure kind");
            }
            e = new PilotClient.Result(job, Optional.empty(), Optional.of(k), r.string());
        }
        r.end();
        return e;
    }

    private static final class Body {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(buf);

        void integer(int v) {
            try {
                out.writeInt(v);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void longValue(long v) {
            try {
                out.writeLong(v);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            integer(b.length);
            buf.writeBytes(b);
        }

        byte[] bytes() {
            return buf.toByteArray();
        }
    }

    private static final class Reader {
        private final ByteBuffer in;

        Reader(byte[] body) {
            in = ByteBuffer.wrap(body);
        }

        int integer() throws IOException {
            need(4);
            return in.getInt();
        }

        long longValue() throws IOException {
            need(8);
            return in.getLong();
        }

        int count() throws IOException {
            int n = integer();
            if (n < 0 || n > MAX_ITEMS) {
                throw new IOException("a list of " + n + " items (at most " + MAX_ITEMS + ")");
            }
            return n;
        }

        String string() throws IOException {
            int n = integer();
            if (n < 0) {
                throw new IOException("a string of negative length");
            }
            need(n);
            ByteBuffer slice = in.slice().limit(n);
            in.position(in.position() + n);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
            } catch (CharacterCodingException e) {
                throw new IOException("a string that is not UTF-8");
            }
        }

        boolean hasMore() {
            return in.hasRemaining();
        }

        void end() throws IOException {
            if (in.hasRemaining()) {
                throw new IOException(in.remaining() + " bytes after the last field");
            }
        }

        private void need(int n) throws IOException {
            if (in.remaining() < n) {
                throw new EOFException("the frame ends inside a field");
            }
        }
    }
}
