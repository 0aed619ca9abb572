package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * A private system libvirtd started by the test, as a worker node runs one: as root, so that it can
 * run each guest's QEMU as the user the domain names (its DAC security driver), yet sharing nothing
 * with the machine's own libvirt or with other tests' daemons. It runs in a mount namespace of its
 * own where a tmpfs covers {@code /run} and the test's directories are bound over
 * {@code /run/libvirt}, {@code /var/lib/libvirt}, {@code /var/cache/libvirt}, {@code /var/log/libvirt}
 * and {@code /etc/libvirt} (its own {@code libvirtd.conf} and {@code qemu.conf}), and a {@code /dev}
 * of its own with the few devices QEMU needs under TCG and no {@code /dev/kvm} (where
 * {@code /dev/kvm} is there but root's only, libvirt 9.0 probes QEMU again at every domain start,
 * about 30 s each; the tests run guests under TCG anyway); its socket is
 * {@code <dir>/run/libvirt-sock}, open to the members of one group. Under tini (a reaper, so guest
 * exits are noticed at once). QEMU's default user is {@code nobody}: a domain that does not name
 * its user gets nothing. Stopped by PID.
 */
public final class PrivateLibvirt implements AutoCloseable {

    private final Path dir;
    private final List<String> enter;
    private Process daemon;
    /** The libvirt connection URI of this daemon. */
    public final String uri;

    private PrivateLibvirt(Path dir, List<String> enter) {
        this.dir = dir;
        this.enter = enter;
        this.uri = "qemu+unix:///system?socket=" + socket(dir);
    }

    private static Path socket(Path dir) {
        return dir.resolve("run/libvirt-sock");
    }

    /**
     * Binds the test's directories in the namespace, then runs the daemon under tini (which stays the
     * reaper of the guests' QEMU processes) and a loop that starts libvirtd again whenever it exits,
     * as a service manager restarts a daemon, until {@code stopping} exists. {@code $1} is the
     * directory; the daemon's PID is in {@code libvirtd.pid}. A SIGTERM stops the daemon and the loop.
     */
    private static final String START = """
            set -e
            mount -t tmpfs -o mode=0755 vmgrid-test-run /run
            mkdir /run/libvirt
            mount --bind "$1/run" /run/libvirt
            mount --bind "$1/lib" /var/lib/libvirt
            mount --bind "$1/cache" /var/cache/libvirt
            mount --bind "$1/log" /var/log/libvirt
            mount --bind "$1/etc" /etc/libvirt
            umount -l /dev
            mount -t tmpfs -o mode=0755,nosuid vmgrid-test-dev /dev
            for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
                mknod -m 0666 "/dev/${n%%:*}" c $(echo "${n#*:}" | tr : ' ')
            done
            mkdir /dev/pts /dev/shm
            chmod 1777 /dev/shm
            ln -s /proc/self/fd /dev/fd
            exec tini -s -- sh -c '
              pid=
              trap '"'"'touch "$0/stopping"; [ -z "$pid" ] || kill -TERM "$pid"'"'"' TERM INT
              while [ ! -e "$0/stopping" ]; do
                libvirtd & pid=$!
                echo "$pid" > "$0/libvirtd.pid.next" && mv "$0/libvirtd.pid.next" "$0/libvirtd.pid"
                while kill -0 "$pid" 2>/dev/null; do wait "$pid" || true; done
              done' "$1"
            """;

    /**
     * Starts the daemon and waits, bounded, for its socket.
     *
     * @param clientGroup the group whose members may connect (the pilot service's, in the tests the
     *     unprivileged user's)
     */
    public static PrivateLibvirt start(String clientGroup) throws IOException, InterruptedException {
        return start(clientGroup, List.of());
    }

    /**
     * Starts the daemon in the namespaces that {@code enter} (an argv prefix, e.g.
     * {@link NodeNamespace#enter()}) leads into, and waits, bounded, for its socket.
     */
    public static PrivateLibvirt start(String clientGroup, List<String> enter) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-libvirt");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String d : List.of("run", "lib", "cache", "log", "etc")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.setPosixFilePermissions(dir.resolve("run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("etc/libvirtd.conf"), """
                unix_sock_group = "%s"
                unix_sock_ro_perms = "0770"
                unix_sock_rw_perms = "0770"
                unix_sock_admin_perms = "0700"
                auth_unix_ro = "none"
                auth_unix_rw = "none"
                log_outputs = "3:stderr"
                """.formatted(clientGroup));
        Files.writeString(dir.resolve("etc/qemu.conf"), """
                user = "nobody"
                group = "nogroup"
                stdio_handler = "file"
                """);
        PrivateLibvirt lv = new PrivateLibvirt(dir, enter);
        lv.launch();
        return lv;
    }

    private void launch() throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(enter);
        argv.addAll(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", START, "sh", dir.toString()));
        daemon = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile())).start();
        for (int i = 0; i < 300 && !Files.exists(socket(dir)); i++) {
            if (!daemon.isAlive()) {
                close();
                throw new IllegalStateException("libvirtd exited at start: " + log());
            }
            Thread.sleep(100);
        }
        if (!Files.exists(socket(dir))) {
            close();
            throw new IllegalStateException("libvirtd made no socket within 30 s");
        }
    }

    /**
     * Starts the daemon again on the same directories after its node lost power (every process of
     * it killed): what the node's {@code /run} held (a tmpfs) is gone, the rest stays.
     */
    public void startAgain() throws IOException, InterruptedException {
        if (daemon.isAlive()) {
            throw new IllegalStateException("libvirtd's supervisor still runs (PID " + daemon.pid() + ")");
        }
        try (java.util.stream.Stream<Path> run = Files.list(dir.resolve("run"))) {
            for (Path p : run.toList()) {
                Unprivileged.deleteTree(p);
            }
        }
        launch();
    }

    /** The running libvirtd's PID (not its supervisor's). */
    public long daemonPid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("libvirtd.pid")).strip());
    }

    /**
     * Restarts libvirtd as a service manager does: SIGTERM to the daemon by its PID (running guests
     * go on: their QEMU processes are not the daemon's to stop), then a new daemon in the same
     * namespace, which takes the running guests over again. Waits, bounded, until the new daemon
     * answers.
     */
    public void restart() throws IOException, InterruptedException {
        long old = daemonPid();
        new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(10), "kill", "-TERM", Long.toString(old)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("libvirtd did not come back within 60 s of its restart: " + log());
            }
            if (!daemon.isAlive()) {
                throw new IllegalStateException("the libvirtd supervisor exited at the restart: " + log());
            }
            Thread.sleep(200);
            if (daemonPid() != old && Files.exists(socket(dir)) && new ProcessCommandRunner().run(Command.of(
                    Duration.ofSeconds(30), "virsh", "-c", uri, "list", "--all", "--name")).exitCode() == 0) {
                return;
            }
        }
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

    /** The daemon's log (its stderr), for assertion messages. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("daemon.log"));
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
            daemon.destroy(); // SIGTERM to tini, passed on to the loop, which stops libvirtd
            if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                daemon.descendants().forEach(ProcessHandle::destroyForcibly);
                daemon.destroyForcibly();
                daemon.waitFor(10, TimeUnit.SECONDS);
            }
            Unprivileged.deleteTree(dir);
        }
    }
}
