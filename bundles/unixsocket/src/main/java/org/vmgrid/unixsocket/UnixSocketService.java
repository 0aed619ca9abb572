package org.vmgrid.unixsocket;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A local service's unix socket: binds the path (replacing the stale socket of a crashed service,
 * never a live one), accepts clients, knows each by its peer credentials, and hands each to the
 * {@link Handler} on a thread of its own, within limits: at most so many connections in all and
 * so many per user (uid); a client beyond them is told why by the handler's refusal, written
 * without waiting on the client, and closed at once. Thread-safe.
 */
public final class UnixSocketService implements AutoCloseable {

    /**
     * What a service does with its connections.
     */
    public interface Handler {
        /** Serves one connection; the connection is closed when this returns (its outbox drains first). */
        void serve(Connection connection) throws IOException;

        /** The bytes telling a client it is refused (busy, over its user's limit), in the service's own format. */
        byte[] refusal(String reason);
    }

    /**
     * @param maxConnections connections at once, in all
     * @param maxPerUser connections at once of one uid
     * @param outboxBytes how much may wait in one connection's outbox before its producer waits
     * @param drainGrace how long a client has to read what is left once its handler returned
     */
    public record Limits(int maxConnections, int maxPerUser, long outboxBytes, Duration drainGrace) {
        public Limits {
            if (maxConnections < 1 || maxPerUser < 1 || maxPerUser > maxConnections || outboxBytes < 1) {
                throw new IllegalArgumentException("limits must be positive and the per-user one at most the total: "
                        + maxConnections + ", " + maxPerUser + ", " + outboxBytes);
            }
        }
    }

    private final Path socket;
    private final String name;
    private final Handler handler;
    private final Limits limits;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final ExecutorService connections;
    private final ScheduledExecutorService timer;
    private final Map<Integer, Integer> perUser = new HashMap<>();
    private int total;

    /**
     * Binds {@code socket} with {@code mode} and starts accepting.
     *
     * @param name the service's name, for errors and thread names ("pilot service")
     * @throws IOException saying why the socket cannot be bound (another service listens there, the
     *     directory cannot be written) or why this runtime cannot read peer credentials
     */
    public UnixSocketService(Path socket, Set<PosixFilePermission> mode, String name, Limits limits, Handler handler)
            throws IOException {
        try {
            PeerCredentials.checkAvailable();
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
        this.socket = socket.toAbsolutePath();
        this.name = name;
        this.handler = handler;
        this.limits = limits;
        Files.createDirectories(this.socket.getParent());
        removeStale(this.socket, name);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(this.socket));
            Files.setPosixFilePermissions(this.socket, mode);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        String threads = "vmgrid-" + name.replace(' ', '-');
        connections = Executors.newCachedThreadPool(r -> daemon(r, threads));
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, threads + "-deadlines"));
        acceptor = daemon(this::acceptLoop, threads + "-accept");
        acceptor.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Removes a socket file nobody listens on any more; refuses to take over one that answers. */
    private static void removeStale(Path socket, String name) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
        } catch (IOException e) {
            Files.delete(socket);
            return;
        }
        throw new IOException("another " + name + " is listening on " + socket + "; stop it or configure another socket");
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue; // one failed accept must not stop the service
            }
            PeerCredentials peer;
            try {
                peer = PeerCredentials.of(client);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            String refused = admit(peer);
            if (refused != null) {
                refuse(client, refused);
                continue;
            }
            Connection c = new Connection(client, peer, limits.outboxBytes(), timer);
            try {
                connections.execute(() -> serve(c));
            } catch (RuntimeException e) {
                release(peer);
                c.close();
            }
        }
    }

    /** Counts the connection in, or says why not. */
    private synchronized String admit(PeerCredentials peer) {
        int mine = perUser.getOrDefault(peer.uid(), 0);
        if (mine >= limits.maxPerUser()) {
            return "the " + name + " at " + socket + " is busy for " + peer.name() + ": " + mine + " of its connections "
                    + "are open (at most " + limits.maxPerUser() + " per user); try again when one has ended";
        }
        if (total >= limits.maxConnections()) {
            return "the " + name + " at " + socket + " is busy: " + total + " connections are open (at most "
                    + limits.maxConnections() + "); try again";
        }
        perUser.put(peer.uid(), mine + 1);
        total++;
        return null;
    }

    private synchronized void release(PeerCredentials peer) {
        perUser.computeIfPresent(peer.uid(), (k, v) -> v <= 1 ? null : v - 1);
        total--;
    }

    private void serve(Connection c) {
        try {
            handler.serve(c);
        } catch (IOException | RuntimeException e) {
            // the client went away, or the handler gave up on it: its connection closes below
        } finally {
            release(c.peer());
            c.out().closeAfter(limits.drainGrace());
        }
    }

    /** Tells a client why it is refused in one write that does not wait on it, and closes. */
    private void refuse(SocketChannel client, String reason) {
        try (client) {
            client.configureBlocking(false);
            client.write(ByteBuffer.wrap(handler.refusal(reason)));
        } catch (IOException | RuntimeException e) {
            // gone, or not reading: closed either way
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** How many connections of one uid are open now. */
    public synchronized int connections(int uid) {
        return perUser.getOrDefault(uid, 0);
    }

    /** Stops accepting clients and removes the socket; open connections go on. */
    public void stopAccepting() throws IOException {
        server.close();
        acceptor.interrupt(); // a thread blocked in accept() on a unix socket may not see the close at once
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socket);
    }

    /** Waits up to {@code timeout} for every open connection's handler to return; whether they all did. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        connections.shutdown();
        return connections.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops accepting, removes the socket and stops the service's threads (open connections are closed). */
    @Override
    public void close() throws IOException {
        try {
            stopAccepting();
        } finally {
            connections.shutdownNow();
            timer.shutdownNow();
        }
    }
}
