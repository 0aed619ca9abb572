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
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
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
            return new CommandResult(command, p.exitValue(), finish(p, command, out), finish(p, command, err));
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted while running '" + command.display() + "'", e);
        }
    }

    /**
     * The rest of an exited command's output. A child it left behind may still hold the pipe open:
     * that child is killed rather than waited for.
     */
    private static byte[] finish(Process p, Command command, CompletableFuture<byte[]> stream) throws InterruptedException {
        try {
            try {
                return stream.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                return stream.get(5, TimeUnit.SECONDS);
            }
        } catch (TimeoutException | ExecutionException e) {
            throw new CommandFailedException("'" + command.display() + "' exited but its output could not be read to the end: "
                    + e, e);
        }
    }

    /** Reads a stream to its end on a thread of its own (a shared pool could deadlock on full pipes). */
    private static CompletableFuture<byte[]> drain(InputStream s) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (s; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
                s.transferTo(b);
                f.complete(b.toByteArray());
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "vmgrid-exec-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
