package org.vmgrid.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A process a test started, its stdout and stderr captured as they come; signalled and stopped by
 * its PID only. A SIGTERM through {@link #sigterm()} keeps our ends of its pipes open, so what it
 * prints while it stops is still captured ({@code Process.destroy()} would close them).
 */
public final class CapturedProcess {

    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outReader;
    private final Thread errReader;

    private CapturedProcess(Process p) {
        this.process = p;
        this.outReader = copy(p.getInputStream(), out);
        this.errReader = copy(p.getErrorStream(), err);
    }

    public static CapturedProcess start(ProcessBuilder pb) throws IOException {
        return new CapturedProcess(pb.start());
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM to its PID. */
    public void sigterm() {
        process.toHandle().destroy();
    }

    /**
     * Waits for the end, bounded: a hung process is stopped and fails the test (AssertionError with
     * its output) instead of hanging it.
     *
     * @return its exit status
     */
    public int await(Duration bound) throws InterruptedException {
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            stop();
            throw new AssertionError("still running after " + bound.toSeconds() + " s: " + output());
        }
        outReader.join(10_000);
        errReader.join(10_000);
        return process.exitValue();
    }

    /** SIGTERM, then SIGKILL if it lingers; by PID. */
    public void stop() throws InterruptedException {
        if (process.isAlive()) {
            sigterm();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    public String stdout() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    public String stderr() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    /** Both, labelled, for assertion messages. */
    public String output() {
        return "\n--- stdout:\n" + stdout() + "--- stderr:\n" + stderr();
    }

    private static Thread copy(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (in) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
