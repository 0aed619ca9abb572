package org.vmgrid.blahservice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.vmgrid.unixsocket.Connection;
import org.vmgrid.unixsocket.UnixSocketService;

/**
 * Answers BLAH hooks over a local unix socket: one request per connection (the hook writes its
 * records and shuts down its side), one {@link HookAnswer} back. A request that cannot be read is
 * answered with an {@code error} line and no {@code print} line, which the hook turns into a refusal.
 * The socket, the clients' credentials, the connection limits and the deadlines are the shared
 * {@link UnixSocketService}'s, as for the worker node's pilot service.
 */
public final class HookSocketServer implements AutoCloseable {

    /** How long one hook connection may take by default; a real one takes milliseconds. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Connections at once: BLAH submits one job per hook run, each answered in milliseconds. */
    static final int MAX_CONNECTIONS = 64;
    /** Connections at once of one user (BLAH runs submissions as the job's pool account): no one keeps the others out. */
    static final int MAX_PER_USER = 16;
    /** An answer is a few directive lines. */
    private static final long OUTBOX_BYTES = 64 * 1024;

    private final HookAdmission admission;
    private final Duration requestTimeout;
    private final UnixSocketService service;

    /** As {@link #HookSocketServer(Path, HookAdmission, Duration)} with {@link #REQUEST_TIMEOUT}. */
    public HookSocketServer(Path socket, HookAdmission admission) {
        this(socket, admission, REQUEST_TIMEOUT);
    }

    /**
     * Binds the socket (replacing a stale one left by a crashed service, never a live one) with mode
     * 0660 and starts answering.
     *
     * @param requestTimeout how long a client has to send its request, and then to read the answer:
     *     a client that never finishes must not hold the service
     * @throws HookServiceException when the socket cannot be bound
     */
    public HookSocketServer(Path socket, HookAdmission admission, Duration requestTimeout) {
        this.admission = admission;
        this.requestTimeout = requestTimeout;
        try {
            this.service = new UnixSocketService(socket, PosixFilePermissions.fromString("rw-rw----"), "BLAH hook service",
                    new UnixSocketService.Limits(MAX_CONNECTIONS, MAX_PER_USER, OUTBOX_BYTES, requestTimeout),
                    new UnixSocketService.Handler() {
                        @Override
                        public void serve(Connection c) throws IOException {
                            HookSocketServer.this.serve(c);
                        }

                        @Override
                        public byte[] refusal(String reason) {
                            return new HookAnswer(List.of(), reason).toWire();
                        }
                    });
        } catch (IOException e) {
            throw new HookServiceException("cannot listen on unix socket " + socket.toAbsolutePath() + ": "
                    + e.getMessage() + "; check that its directory is writable and no other vmgrid service uses it", e);
        }
    }

    public Path socket() {
        return service.socket();
    }

    private void serve(Connection c) throws IOException {
        Connection.Deadline deadline = c.closeAfter(requestTimeout);
        byte[] request = readRequest(c.in());
        deadline.cancel();
        c.out().last(answer(request));
    }

    /** The wire answer to one request's bytes; never throws. */
    byte[] answer(byte[] request) {
        try {
            return admission.answer(HookRequest.parse(request)).toWire();
        } catch (RuntimeException e) {
            return new HookAnswer(List.of(), "vmgrid could not read the hook's request: " + e.getMessage()).toWire();
        }
    }

    /** The request: everything up to the end of the client's stream, or just past the most a request may be. */
    private static byte[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            buf.write(chunk, 0, n);
            if (buf.size() > HookRequest.MAX_BYTES) {
                break;
            }
        }
        return buf.toByteArray();
    }

    /** Stops answering and removes the socket file. */
    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            throw new HookServiceException("cannot remove unix socket " + socket() + ": " + e.getMessage(), e);
        }
    }
}
