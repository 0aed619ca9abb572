package org.vmgrid.unixsocket;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client's connection, as a {@link UnixSocketService.Handler} gets it: who the client is, what
 * it sends, a bounded {@link Outbox} for what goes back, and deadlines. Reading and writing may
 * happen on different threads at once.
 */
public final class Connection {

    private final SocketChannel channel;
    private final PeerCredentials peer;
    private final Outbox out;
    private final ScheduledExecutorService timer;

    Connection(SocketChannel channel, PeerCredentials peer, long outboxCapacity, ScheduledExecutorService timer) {
        this.channel = channel;
        this.peer = peer;
        this.timer = timer;
        this.out = new Outbox(channel, outboxCapacity, "vmgrid-socket-out-" + peer.pid());
    }

    /** Who connected, as the kernel saw it. */
    public PeerCredentials peer() {
        return peer;
    }

    /** What the client sends; {@code read} blocks until there is some, or the end of its stream. */
    public InputStream in() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n;
                do {
                    n = channel.read(ByteBuffer.wrap(b, off, len));
                } while (n == 0);
                return n;
            }
        };
    }

    /** What goes back to the client. */
    public Outbox out() {
        return out;
    }

    /**
     * Closes the connection once {@code timeout} has passed, unless the returned deadline is
     * cancelled first: what a client owes (its request) it must send in time.
     */
    public Deadline closeAfter(Duration timeout) {
        ScheduledFuture<?> f = timer.schedule(out::close, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    /** A pending {@link #closeAfter}. */
    @FunctionalInterface
    public interface Deadline {
        /** The client did what it owed in time: the connection stays open. */
        void cancel();
    }

    /** Closes the connection now. */
    public void close() {
        out.close();
    }
}
