package org.vmgrid.batchhooks.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.vmgrid.testing.Unprivileged;

/**
 * {@link PilotServiceDriver} as a process of the unprivileged user, started on a site
 * configuration and stopped by its PID with SIGTERM; its log (stderr) goes to a file.
 */
final class PilotServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private PilotServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the service as {@link Unprivileged#USER} and waits, bounded, until it listens on {@code socket}. */
    static PilotServiceProcess start(String java, String classPath, Path conf, Path socket, Path home, Path log)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(Unprivileged.as(home));
        argv.addAll(List.of(java, "-XX:-UsePerfData", "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp",
                classPath, PilotServiceDriver.class.getName(), conf.toString()));
        Process p = new ProcessBuilder(argv).directory(home.toFile()).redirectError(log.toFile()).start();
        PilotServiceProcess service = new PilotServiceProcess(p, log);
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = ready.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            line = null;
        }
        if (!(PilotServiceDriver.READY + socket).equals(line)) {
            service.close();
            throw new AssertionError("the pilot service did not start: " + line + service.log());
        }
        return service;
    }

    /** The service's log so far, for messages. */
    String log() {
        try {
            return "\npilot service log:\n" + Files.readString(log);
        } catch (IOException e) {
            return "\n(no pilot service log: " + e.getMessage() + ")";
        }
    }

    /** The log's lines that {@code line} finds. */
    List<String> lines(Pattern line) throws IOException {
        return Files.readString(log).lines().filter(l -> line.matcher(l).find()).toList();
    }

    /** Waits, bounded, until the log has a line that {@code line} finds. */
    void awaitLine(Pattern line, Duration limit) throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (lines(line).isEmpty()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the pilot service's log has no line like " + line + " after " + limit + log());
            }
            Thread.sleep(100);
        }
    }

    /** SIGTERM to the driver's PID, bounded wait, then SIGKILL; answers its exit code. */
    int stop() throws InterruptedException {
        if (process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
