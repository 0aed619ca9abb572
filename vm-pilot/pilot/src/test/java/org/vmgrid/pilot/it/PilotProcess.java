package org.vmgrid.pilot.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.vmgrid.testing.Unprivileged;

/** One pilot process ({@link PilotDriver}) run as the unprivileged user, its output captured. */
final class PilotProcess {

    final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread outReader;
    private final Thread errReader;

    private PilotProcess(Process p) {
        this.process = p;
        this.outReader = copy(p.getInputStream(), out);
        this.errReader = copy(p.getErrorStream(), err);
    }

    /**
     * Starts a pilot. {@code classPath} must be readable by the unprivileged user.
     */
    static PilotProcess start(String classPath, Path home, Path conf, String image, Path workdir, int timeout,
            String... cmd) throws IOException {
        List<String> argv = Unprivileged.as(home);
        argv.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp", classPath,
                PilotDriver.class.getName(), conf.toString(), image, workdir.toString(), Integer.toString(timeout)));
        argv.addAll(List.of(cmd));
        return new PilotProcess(new ProcessBuilder(argv).start());
    }

    /** This JVM's class path with every entry the unprivileged user cannot read copied into {@code dir}. */
    static String readableClassPath(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(":")) {
            Path p = Path.of(e);
            if (p.startsWith("/root") && Files.isRegularFile(p)) {
                Path copy = dir.resolve(i++ + "-" + p.getFileName());
                Files.copy(p, copy);
                entries.add(copy.toString());
            } else {
                entries.add(e);
            }
        }
        return String.join(":", entries);
    }

    /** Waits for the end (bounded, so a hung pilot fails the test instead of hanging it). */
    int await() throws InterruptedException {
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("pilot still running after 10 minutes; stderr: " + stderr());
        }
        outReader.join(10_000);
        errReader.join(10_000);
        return process.exitValue();
    }

    String stdout() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    String stderr() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
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
