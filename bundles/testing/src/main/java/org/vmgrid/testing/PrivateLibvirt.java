package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * A private libvirtd started by the test: session mode, as the unprivileged user, with every
 * socket, definition and log under its own temp directory, under tini (a reaper, so guest exits
 * are noticed at once). Nothing of the system's libvirt is used or touched. Stopped by PID.
 */
public final class PrivateLibvirt implements AutoCloseable {

    private final Path dir;
    private final Process daemon;
    /** The libvirt connection URI of this daemon. */
    public final String uri;

    private PrivateLibvirt(Path dir, Process daemon) {
        this.dir = dir;
        this.daemon = daemon;
        this.uri = "qemu+unix:///session?socket=" + socket(dir);
    }

    private static Path socket(Path dir) {
        return dir.resolve("run/libvirt/libvirt-sock");
    }

    /** Starts the daemon and waits, bounded, for its socket. */
    public static PrivateLibvirt start() throws IOException, InterruptedException {
        Path dir = Unprivileged.newDirectory("vmgrid-libvirt");
        List<String> argv = Unprivileged.as(dir, "XDG_RUNTIME_DIR=" + dir.resolve("run"),
                "XDG_CONFIG_HOME=" + dir.resolve("config"), "XDG_CACHE_HOME=" + dir.resolve("cache"));
        argv.addAll(List.of("tini", "-s", "--", "libvirtd"));
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.log").toFile()).start();
        PrivateLibvirt lv = new PrivateLibvirt(dir, p);
        for (int i = 0; i < 300 && !Files.exists(socket(dir)); i++) {
            if (!p.isAlive()) {
                lv.close();
                throw new IllegalStateException("libvirtd exited at start: " + Files.readString(dir.resolve("daemon.log")));
            }
            Thread.sleep(100);
        }
        if (!Files.exists(socket(dir))) {
            lv.close();
            throw new IllegalStateException("libvirtd made no socket within 30 s");
        }
        return lv;
    }

    /** Names of every domain the daemon knows, running or not. */
    public List<String> domains() {
        CommandResult r = new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(30), "virsh", "-c", uri,
                "list", "--all", "--name"));
        List<String> names = new ArrayList<>();
        for (String l : r.stdoutText().split("\n")) {
            if (!l.isBlank()) {
                names.add(l.strip());
            }
        }
        return names;
    }

    /**
     * libvirtd in session mode starts its own virtlogd, which outlives it (it would idle out after
     * 120 s): stop it by the PID in its pidfile.
     */
    private void stopLogDaemon() throws IOException, InterruptedException {
        Path pidFile = dir.resolve("run/libvirt/virtlogd.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile).strip();
        if (!text.matches("[0-9]{1,9}")) {
            return;
        }
        java.util.Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(text));
        if (p.isPresent() && p.get().info().command().orElse("").endsWith("virtlogd")) {
            p.get().destroy();
            try {
                p.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.get().destroyForcibly();
            }
        }
    }

    /** Destroys and undefines every domain left, and stops the daemon by its PID; removes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (daemon.isAlive() && Files.exists(socket(dir))) {
                for (String d : domains()) {
                    new ProcessCommandRunner().run(Command.of(Duration.ofSeconds(30), "virsh", "-c", uri, "destroy", d));
                    new ProcessCommandRunner().run(Command.of(Duration.ofSeconds(30), "virsh", "-c", uri, "undefine", d));
                }
            }
        } finally {
            daemon.destroy(); // SIGTERM to tini, which passes it to libvirtd
            if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                daemon.descendants().forEach(ProcessHandle::destroyForcibly);
                daemon.destroyForcibly();
                daemon.waitFor(10, TimeUnit.SECONDS);
            }
            stopLogDaemon();
            Unprivileged.deleteTree(dir);
        }
    }
}
