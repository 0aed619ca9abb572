package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker node's resident pilot service: the repository's {@code ./vmgrid serve} (Felix with the
 * built distribution's bundles) as the unprivileged user, with {@code service.socket} added to the
 * given site's {@code pilot.properties}. Stopped with SIGTERM by its PID.
 */
public final class PilotService implements AutoCloseable {

    private static final Duration START = Duration.ofMinutes(2);
    private final CapturedProcess serve;
    private final Path socket;

    private PilotService(CapturedProcess serve, Path socket) {
        this.serve = serve;
        this.socket = socket;
    }

    /**
     * Starts the service of {@code site} and waits, bounded, until it takes jobs.
     *
     * @param launcher the repository's {@code vmgrid} launcher (the distribution must be built)
     * @param home a directory of the unprivileged user for the service's HOME, socket and Felix cache
     */
    public static PilotService start(Path launcher, TestSite site, Path home) throws IOException, InterruptedException {
        return start(launcher, site, home, List.of());
    }

    /**
     * Starts the service as {@link #start(Path, TestSite, Path)} does, in the namespaces that
     * {@code enter} (an argv prefix that execs the rest, e.g. {@link NodeNamespace#enter()}) leads into.
     */
    public static PilotService start(Path launcher, TestSite site, Path home, List<String> enter)
            throws IOException, InterruptedException {
        Path socket = Files.createDirectories(home.resolve("run")).resolve("pilot.sock");
        Path properties = site.conf.resolve("pilot.properties");
        String line = "service.socket = " + socket + "\n";
        if (!Files.readString(properties).contains(line)) { // started again on the same site: already there
            Files.writeString(properties, line, StandardOpenOption.APPEND);
        }
        Unprivileged.own(home);
        List<String> argv = new ArrayList<>(enter);
        argv.addAll(Unprivileged.as(home));
        argv.addAll(List.of(launcher.toString(), "serve", "--config-dir", site.conf.toString(), "--storage",
                home.resolve("felix").toString()));
        CapturedProcess serve = CapturedProcess.start(new ProcessBuilder(argv).directory(launcher.getParent().toFile()));
        PilotService s = new PilotService(serve, socket);
        long deadline = System.nanoTime() + START.toNanos();
        while (!serve.stderr().contains("vmgrid pilot service: taking jobs on " + socket)) {
            if (!serve.isAlive() || System.nanoTime() > deadline) {
                s.close();
                throw new IllegalStateException("vmgrid serve did not take jobs on " + socket + ": " + serve.output());
            }
            Thread.sleep(100);
        }
        return s;
    }

    public Path socket() {
        return socket;
    }

    /** What the service logged so far (its jobs' beginnings and ends). */
    public String log() {
        return serve.stderr();
    }

    public boolean isAlive() {
        return serve.isAlive();
    }

    /** The service's process id (the launcher execs java). */
    public long pid() {
        return serve.process().pid();
    }

    /**
     * SIGKILL by PID, as a crash or the kernel's OOM killer ends it: no shutdown of any kind; waits,
     * bounded, until it is gone. Its socket stays behind, as it would.
     */
    public void kill() throws InterruptedException {
        serve.process().destroyForcibly();
        if (!serve.process().waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("vmgrid serve (PID " + pid() + ") still runs 30 s after SIGKILL");
        }
    }

    /** SIGTERM by PID; SIGKILL if it does not stop within 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (serve.isAlive()) {
            serve.sigterm();
            if (!serve.process().waitFor(30, TimeUnit.SECONDS)) {
                serve.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
