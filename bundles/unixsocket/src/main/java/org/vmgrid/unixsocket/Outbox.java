package org.vmgrid.unixsocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * What a connection sends, written by a thread of its own from a bounded queue, so that whoever
 * produces the messages never waits on the client beyond what it chooses: {@link #offer} waits for
 * room (the client's pace) until the outbox closes; {@link #last} queues a final message whatever
 * the room and never waits; {@link #closeAfter} gives the client a grace period to read the rest,
 * then closes the connection however far it got.
 */
public final class Outbox {

    private final SocketChannel channel;
    private final long capacity;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private final Thread writer;
    private long queued;
    private boolean closing;
    private boolean gone;

    /** @param capacity how many bytes may wait for the client before {@link #offer} waits */
    Outbox(SocketChannel channel, long capacity, String name) {
        this.channel = channel;
        this.capacity = capacity;
        this.writer = new Thread(this::write, name);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Queues a message, waiting while more than the capacity waits for the client.
     *
     * @return false when it was dropped: the client is gone or the outbox closed
     */
    public boolean offer(byte[] message) {
        synchronized (this) {
            try {
                while (!gone && !closing && queued > 0 && queued + message.length > capacity) {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (gone || closing) {
                return false;
            }
            enqueue(message);
            return true;
        }
    }

    /** Queues the final message, whatever the room, without waiting; nothing is taken after it. */
    public synchronized void last(byte[] message) {
        if (!gone && !closing) {
            enqueue(message);
        }
        closing = true;
        notifyAll();
    }

    private void enqueue(byte[] message) {
        queue.add(ByteBuffer.wrap(message));
        queued += message.length;
        notifyAll();
    }

    /** Whether the client went away (a write failed) or the connection was closed. */
    public synchronized boolean gone() {
        return gone;
    }

    /**
     * Takes nothing more; the client has {@code grace} to read what is queued, then the connection
     * is closed. Returns at once.
     */
    public void closeAfter(Duration grace) {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        Thread closer = new Thread(() -> {
            try {
                writer.join(grace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close();
        }, writer.getName() + "-closer");
        closer.setDaemon(true);
        closer.start();
    }

    /** Closes the connection now; what was queued is dropped. */
    public void close() {
        synchronized (this) {
            gone = true;
            closing = true;
            queue.clear();
            queued = 0;
            notifyAll();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** Waits up to {@code timeout} for everything queued to be written (or dropped). */
    public boolean awaitWritten(Duration timeout) throws InterruptedException {
        writer.join(timeout.toMillis());
        return !writer.isAlive();
    }

    private void write() {
        try {
            while (true) {
                ByteBuffer next;
                synchronized (this) {
                    while (queue.isEmpty() && !closing && !gone) {
                        wait();
                    }
                    if (gone || queue.isEmpty()) {
                        break;
                    }
                    next = queue.peek();
                }
                int length = next.remaining();
                while (next.hasRemaining()) {
                    channel.write(next);
                }
                synchronized (this) {
                    queue.poll();
                    queued -= length;
                    notifyAll();
                }
            }
            channel.shutdownOutput();
        } catch (IOException e) {
            close(); // the client went away, or the grace period ended
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
