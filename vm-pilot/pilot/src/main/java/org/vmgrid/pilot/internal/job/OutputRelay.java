package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Relays what the guest writes to a virtio-serial channel file to one of the pilot's own streams,
 * live: a thread follows the growing file until {@link #finish()} drains the rest.
 */
final class OutputRelay implements AutoCloseable {

    private final Path file;
    private final OutputStream sink;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile IOException failure;

    OutputRelay(Path file, OutputStream sink, String name) {
        this.file = file;
        this.sink = sink;
        this.thread = new Thread(this::follow, "vmgrid-relay-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void follow() {
        byte[] buf = new byte[8192];
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                boolean last = stopping;
                int n;
                boolean any = false;
                while ((n = in.read(buf)) > 0) {
                    sink.write(buf, 0, n);
                    any = true;
                }
                if (any) {
                    sink.flush();
                }
                if (last) {
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

    /** Copies what is left in the file, then stops. */
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
