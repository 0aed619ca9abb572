package org.vmgrid.blahservice;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Answers BLAH hooks over a local unix socket: one request per connection (the hook writes its
 * records and shuts down its side), one {@link HookAnswer} back. A request that cannot be read is
 * answered with an {@code error} line and no {@code print} line, which the hook turns into a refusal.
 */
public final class HookSocketServer implements AutoCloseable {

    /** How long one hook connection may take by default; a real one takes milliseconds. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Path socket;
    private final HookAdmission admission;
    private final ServerSocketChannel server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "vmgrid-blah-hook");
        t.setDaemon(true);
        return t;
    });
    private final Thread acceptor;
    private final Duration requestTimeout;
    private final ScheduledExecutorService guard = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vmgrid-blah-hook-guard");
        t.setDaemon(true);
        return t;
    });

    /** As {@link #HookSocketServer(Path, HookAdmission, Duration)} with {@link #REQUEST_TIMEOUT}. */
    public HookSocketServer(Path socket, HookAdmission admission) {
        this(socket, admission, REQUEST_TIMEOUT);
    }

    /**
     * Binds the socket (replacing a stale one left by a crashed service, never a live one) with mode
     * 0660 and starts answering.
     *
     * @param requestTimeout how long one connection may take before it is closed: a client that
     *     never finishes its request must not hold a worker
     * @throws HookServiceException when the socket cannot be bound
     */
    public HookSocketServer(Path socket, HookAdmission admission, Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        this.socket = socket.toAbsolutePath();
        this.admission = admission;
        try {
            Files.createDirectories(this.socket.getParent());
            removeStaleSocket(this.socket);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(this.socket));
            Files.setPosixFilePermissions(this.socket, PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException e) {
            throw new HookServiceException("cannot listen on unix socket " + this.socket + ": " + e.getMessage()
                    + "; check that its directory is writable and no other vmgrid service uses it", e);
        }
        acceptor = new Thread(this::acceptLoop, "vmgrid-blah-hook-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Removes a socket file nobody listens on any more; refuses to take over one that answers. */
    private static void removeStaleSocket(Path socket) throws IOException {
        if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        boolean live;
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
            live = true;
        } catch (IOException e) {
            live = false;
        }
        if (live) {
            throw new HookServiceException(socket + ": another vmgrid hook service is listening there; stop it or "
                    + "configure another socket path");
        }
        Files.delete(socket);
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                workers.execute(() -> serve(client));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // one failed accept must not stop the service
            }
        }
    }

    private void serve(SocketChannel client) {
        ScheduledFuture<?> deadline = guard.schedule(() -> closeQuietly(client), requestTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        try (client) {
            byte[] answer = answer(readRequest(client));
            ByteBuffer out = ByteBuffer.wrap(answer);
            while (out.hasRemaining()) {
                client.write(out);
            }
        } catch (IOException e) {
            // the hook went away or was too slow; it refuses the job itself when it gets no answer
        } finally {
            deadline.cancel(false);
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** The wire answer to one request's bytes; never throws. */
    byte[] answer(byte[] request) {
        try {
            return admission.answer(HookRequest.parse(request)).toWire();
        } catch (RuntimeException e) {
            return new HookAnswer(java.util.List.of(), "vmgrid could not read the hook's request: " + e.getMessage()).toWire();
        }
    }

    private static byte[] readRequest(SocketChannel client) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteBuffer chunk = ByteBuffer.allocate(4096);
        while (client.read(chunk) >= 0) {
            chunk.flip();
            buf.write(chunk.array(), 0, chunk.limit());
            chunk.clear();
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
            server.close();
            acceptor.interrupt(); // a thread blocked in accept() on a unix socket may not see the close at once
            acceptor.join(2000);
            workers.shutdownNow();
            guard.shutdownNow();
            workers.awaitTermination(2, TimeUnit.SECONDS);
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new HookServiceException("cannot remove unix socket " + socket + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
