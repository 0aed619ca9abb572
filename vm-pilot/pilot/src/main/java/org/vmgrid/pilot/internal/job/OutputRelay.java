package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Relays what the guest writes to a virtio-serial channel file to one of the pilot's own streams,
 * live: a thread follows the growing file until {@link #finish()} drains the rest. At most
 * {@code cap} bytes are relayed; a guest that writes more is {@link #overflowed()}, and the watch
 * stops it.
 */
final class OutputRelay implements AutoCloseable {

    private final FileChannel file;
    private final OutputStream sink;
    private final long cap;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean overflowed;
    private volatile IOException failure;

    OutputRelay(FileChannel file, OutputStream sink, String name, long cap) {
        this.file = file;
        this.sink = sink;
        this.cap = cap;
        this.thread = new Thread(this::follow, "vmgrid-relay-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void follow() {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long relayed = 0;
        try {
            while (true) {
                boolean last = stopping;
                boolean any = false;
                int n;
                while (!overflowed && (n = file.read(buf.clear())) > 0) {
                    int take = (int) Math.min(n, cap - relayed);
                    sink.write(buf.array(), 0, take);
                    relayed += take;
                    any = true;
                    if (take < n) {
                        overflowed = true;
                    }
                }
                if (any) {
                    sink.flush();
                }
                if (last || overflowed) {
                    return;
                }
                synchronized (this) {
                    if (!stopping) {
                        wait(25);
                    }
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the guest wrote more than the cap (what came after it was not relayed). */
    boolean overflowed() {
        return overflowed;
    }

    /** Copies what is left in the file (up to the cap), then stops. */
    void finish() {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why relaying failed, if it did (the job's output is then incomplete). */
    IOException failure() {
        return failure;
    }

    @Override
    public void close() {
        finish();
    }
}
