package org.vmgrid.arc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The state callout as a resident service: {@code arc/vmgrid-arc-statecallout --service SOCKET}
 * sends {@code CONTROLDIR\0JOBID\0} over a local unix socket (mode 0600: A-REX runs the callout as
 * root, and the service reads the job's files as root) and gets one line back, {@code pass} or
 * {@code refuse <reason>}, without starting a JVM per job. The decision is {@link StateCallout}'s.
 */
public final class StateCalloutServer implements AutoCloseable {

    /** Largest request read: two paths. */
    static final int MAX_REQUEST = 8192;

    private final Path socket;
    private final StateCallout callout;
    private final ServerSocketChannel server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "vmgrid-arc-callout");
        t.setDaemon(true);
        return t;
    });
    private final Thread acceptor;

    /**
     * Binds the socket (replacing a stale file nobody listens on, never a live socket) and starts answering.
     *
     * @throws ArcControlException when the socket cannot be bound
     */
    public StateCalloutServer(Path socket, StateCallout callout) {
        this.socket = socket.toAbsolutePath();
        this.callout = callout;
        try {
            Files.createDirectories(this.socket.getParent());
            if (Files.exists(this.socket, LinkOption.NOFOLLOW_LINKS)) {
                try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(this.socket))) {
                    throw new ArcControlException(this.socket + ": another vmgrid state callout service is listening "
                            + "there; stop it or configure another socket");
                } catch (IOException stale) {
                    Files.delete(this.socket);
                }
            }
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(this.socket));
            Files.setPosixFilePermissions(this.socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new ArcControlException("cannot listen on unix socket " + this.socket + ": " + e.getMessage()
                    + "; check that its directory is writable", e);
        }
        acceptor = new Thread(this::acceptLoop, "vmgrid-arc-callout-accept");
        acceptor.setDaemon(true);
        acceptor.start();
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
        try (client) {
            ByteBuffer out = ByteBuffer.wrap(answer(read(client)).getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                client.write(out);
            }
        } catch (IOException e) {
            // the callout went away; it decides with the command instead
        }
    }

    /** The wire answer to one request; never throws. */
    String answer(byte[] request) {
        String[] parts = new String(request, StandardCharsets.UTF_8).split("\0", -1);
        if (parts.length != 3 || !parts[2].isEmpty() || !parts[0].startsWith("/")) {
            return "refuse vmgrid: the state callout service got no CONTROLDIR\\0JOBID\\0 request\n";
        }
        StateCallout.Answer a = callout.decide(Path.of(parts[0]), parts[1]);
        String job = parts[1].replaceAll("[^A-Za-z0-9]", "?");
        System.err.println("vmgrid ARC state callout service: job " + job + (a.admitted() ? ": passed" : ": refused: "
                + a.reason()));
        return a.admitted() ? "pass\n" : "refuse " + a.reason() + "\n";
    }

    private static byte[] read(SocketChannel client) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteBuffer chunk = ByteBuffer.allocate(4096);
        while (client.read(chunk) >= 0 && buf.size() <= MAX_REQUEST) {
            chunk.flip();
            buf.write(chunk.array(), 0, chunk.limit());
            chunk.clear();
        }
        return buf.toByteArray();
    }

    /** Stops answering and removes the socket. */
    @Override
    public void close() {
        try {
            server.close();
            acceptor.interrupt();
            acceptor.join(2000);
            workers.shutdownNow();
            workers.awaitTermination(2, TimeUnit.SECONDS);
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new ArcControlException("cannot remove unix socket " + socket + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
