package org.vmgrid.pilot.internal.service;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.internal.text.Printable;
import org.vmgrid.unixsocket.Outbox;

/**
 * One connection's outgoing frames ({@link Frames}) through its bounded {@link Outbox}: the payload's
 * output waits for room (the client's pace, while the job runs), the result never waits, and the
 * client then has a grace period to read the rest. Once the client is gone or the result is sent,
 * the teardown's warnings go to the service's log instead.
 */
final class FrameSink {

    /** How long a client has to read its result and the output before it, once the job ended. */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(30);
    private static final int CHUNK = 65536;

    private final Outbox out;
    private final PrintStream log;
    private volatile boolean ended;

    FrameSink(Outbox out, PrintStream log) {
        this.out = out;
        this.log = log;
    }

    private static byte[] frame(byte type, byte[] b, int off, int len) {
        return ByteBuffer.allocate(5 + len).put(type).putInt(len).put(b, off, len).array();
    }

    void exit(String jobId, int code) {
        byte[] body = Frames.exit(jobId, code);
        end(frame(Frames.EXIT, body, 0, body.length));
    }

    void ending(String jobId, FailureKind kind, String reason) {
        byte[] body = Frames.failure(jobId, kind, reason);
        end(frame(Frames.FAILURE, body, 0, body.length));
    }

    /** A frame of the job directory's exchange, queued like output. */
    void frame(byte type, byte[] body) {
        out.offer(frame(type, body, 0, body.length));
    }

    /** The result: queued whatever the room, then the connection closes after the grace period. */
    private void end(byte[] frame) {
        ended = true;
        out.last(frame);
        out.closeAfter(DRAIN_GRACE);
    }

    OutputStream stream(byte type) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (ended || out.gone()) {
                    // the teardown's warnings, or a straggling relay: one escaped line each, so that
                    // nothing a guest wrote can pose as a line of the service's log
                    String text = new String(b, off, len, StandardCharsets.UTF_8).strip();
                    if (type == Frames.STDERR && !text.isEmpty()) {
                        log.println("vmgrid pilot service: " + Printable.escape(text));
                    }
                    return;
                }
                for (int done = 0; done < len; ) {
                    int n = Math.min(len - done, CHUNK);
                    out.offer(frame(type, b, off + done, n));
                    done += n;
                }
            }
        };
    }

    /** A failure frame of no job: a refusal's bytes. */
    static byte[] failureFrame(FailureKind kind, String reason) {
        byte[] body = Frames.failure("-", kind, reason);
        return frame(Frames.FAILURE, body, 0, body.length);
    }
}
