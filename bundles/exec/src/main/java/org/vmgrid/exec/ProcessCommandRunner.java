package org.vmgrid.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Component;

/** The {@link CommandRunner} over {@link ProcessBuilder}. Stateless and thread-safe. */
@Component(service = CommandRunner.class)
public final class ProcessCommandRunner implements CommandRunner {

    @Override
    public CommandResult run(Command command) {
        ProcessBuilder pb = new ProcessBuilder(command.argv());
        command.workingDirectory().ifPresent(d -> pb.directory(d.toFile()));
        pb.environment().put("LC_ALL", "C");
        pb.environment().putAll(command.environment());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CommandFailedException("cannot run '" + command.display() + "': " + e.getMessage()
                    + "; check that " + command.argv().get(0) + " is installed and on PATH", e);
        }
        Drain out = drain(p.getInputStream());
        Drain err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            in.write(command.stdin());
        } catch (IOException e) {
            // the command closed its input early; its exit code and stderr tell the rest
        }
        try {
            if (!p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new CommandFailedException("'" + command.display() + "' did not finish within "
                        + command.timeout().toSeconds() + " s and was killed");
            }
            return new CommandResult(command, p.exitValue(), finish(out), finish(err));
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted while running '" + command.display() + "'", e);
        }
    }

    /**
     * The rest of an exited command's output. A process it left behind (orphaned, so no longer its
     * descendant) may hold the pipe open for ever: after a grace period the output read so far is
     * taken and the reader thread left to end with that process.
     */
    private static byte[] finish(Drain drain) throws InterruptedException {
        try {
            return drain.done.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return drain.snapshot();
        } catch (ExecutionException e) {
            return drain.snapshot();
        }
    }

    /** Reads a stream to its end on a thread of its own (a shared pool could deadlock on full pipes). */
    private static Drain drain(InputStream s) {
        Drain d = new Drain();
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (s) {
                for (int n; (n = s.read(buf)) >= 0; ) {
                    d.append(buf, n);
                }
                d.done.complete(d.snapshot());
            } catch (IOException | RuntimeException e) {
                d.done.completeExceptionally(e);
            }
        }, "vmgrid-exec-drain");
        t.setDaemon(true);
        t.start();
        return d;
    }

    /** Output read so far, and whether the stream has ended. */
    private static final class Drain {
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        synchronized void append(byte[] buf, int n) {
            bytes.write(buf, 0, n);
        }

        synchronized byte[] snapshot() {
            return bytes.toByteArray();
        }
    }
}
