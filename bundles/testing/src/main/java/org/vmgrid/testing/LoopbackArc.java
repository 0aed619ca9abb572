package org.vmgrid.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * A real NorduGrid ARC CE (A-REX 6.17 as Debian packages it) on loopback in a private directory,
 * with the loopback SLURM as its batch system: a private test CA made with {@code arcctl test-ca}
 * (nothing under {@code /etc/grid-security} or {@code /run/arc} is written: arcctl runs in a mount
 * namespace of its own with a throwaway {@code /run/arc}), the LDAP infosys (slapd and
 * bdii-update) and both {@code arched} processes, each started by hand and stopped by its PID and
 * process group in {@link #close}, which also removes the directory. Every grid user is mapped to
 * one local account.
 */
public final class LoopbackArc implements AutoCloseable {

    /** The PATH every ARC process gets: the system's tools only, whatever the test JVM's PATH holds. */
    static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Duration START = Duration.ofMinutes(3);
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final ArcSettings settings;
    private final ArcInfosys infosys;
    private final List<Process> arched = new ArrayList<>();

    private LoopbackArc(ArcSettings settings) {
        this.settings = settings;
        this.infosys = new ArcInfosys(settings);
    }

    /**
     * Brings the CE up on the given SLURM.
     *
     * @param dir an empty directory of the test (made traversable by all: the mapped user needs the session dir)
     * @param slurm the batch system
     * @param mappedUser {@code user:group} every grid user runs as
     * @param stateCallout an arc.conf {@code statecallout} value, if any
     */
    public static LoopbackArc start(Path dir, LoopbackSlurm slurm, String mappedUser, Optional<String> stateCallout)
            throws IOException, InterruptedException {
        ArcSettings s = new ArcSettings(dir, freePort(), freePort(), dir.resolve("slurm-bin"), LoopbackSlurm.PARTITION,
                mappedUser, stateCallout, 30);
        LoopbackArc arc = new LoopbackArc(s);
        try {
            arc.prepare(slurm);
            arc.infosys.start();
            arc.startArex();
            return arc;
        } catch (IOException | RuntimeException | InterruptedException | Error e) {
            arc.close();
            throw e;
        }
    }

    public ArcSettings settings() {
        return settings;
    }

    /** The job submission endpoint ({@code arcsub -C}). */
    public String endpoint() {
        return settings.endpoint();
    }

    /** The LDAP infosys, {@code ldap://127.0.0.1:PORT}. */
    public String ldapUrl() {
        return "ldap://127.0.0.1:" + settings.ldapPort();
    }

    /** The test user's certificate and key, made by the test CA ({@code CN=vmgrid tester}). */
    public Path userCert() {
        return settings.dir().resolve("user/usercert.pem");
    }

    public Path userKey() {
        return settings.dir().resolve("user/userkey.pem");
    }

    /**
     * An {@code arcctl} for tools under test (they run it with {@code -c <arc.conf>}): the real one,
     * in a mount namespace of its own, so that its cache of the parsed arc.conf never lands in the
     * system's {@code /run/arc}.
     */
    public Path arcctl() {
        return settings.dir().resolve("bin/arcctl");
    }

    /**
     * Waits, bounded, until A-REX's infoprovider has published {@code text} in the GLUE2 document
     * clients broker on ({@code control/info.xml}, served over REST), such as a newly enabled
     * runtime environment; the infoprovider runs every few seconds.
     */
    public void awaitPublished(String text, Duration bound) throws IOException, InterruptedException {
        Path info = settings.control().resolve("info.xml");
        long deadline = System.nanoTime() + bound.toNanos();
        while (!(Files.exists(info) && Files.readString(info).contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("A-REX did not publish '" + text + "' within " + bound.toSeconds() + " s"
                        + tail(settings.log().resolve("infoprovider.log")));
            }
            Thread.sleep(500);
        }
    }

    /** Runs {@code arcctl} against this CE's arc.conf (as root, as a site admin would). */
    public CommandResult arcctl(String... args) {
        List<String> argv = new ArrayList<>(List.of("arcctl", "-c", settings.arcConf().toString()));
        argv.addAll(List.of(args));
        return privateRunArc(argv, settings.dir());
    }

    private void prepare(LoopbackSlurm slurm) throws IOException, InterruptedException {
        Path dir = settings.dir();
        for (String d : List.of("etc", "host", "user", "certificates", "vomsdir", "control", "session", "rte", "tmp", "run",
                "log", "bin", "slurm-bin", "run-arc")) {
            Files.createDirectories(dir.resolve(d));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        runner.runChecked(Command.of(Duration.ofSeconds(10), "chmod", "1777", dir.resolve("tmp").toString()));
        // ARC's SLURM backend clears the environment of variables without an underscore only, but the
        // infoprovider and scan run without it: wrappers carry SLURM_CONF to every SLURM command
        for (String c : List.of("sbatch", "squeue", "scontrol", "sacct", "sinfo", "scancel")) {
            Path w = settings.slurmBin().resolve(c);
            Files.writeString(w, "#!/bin/sh\nSLURM_CONF='" + slurm.conf() + "'\nexport SLURM_CONF\nexec /usr/bin/" + c
                    + " \"$@\"\n");
            Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(settings.allowedSubjects(), "");
        Files.writeString(settings.arcConf(), settings.render());
        testCa();
        // the WS start script otherwise makes a 4096-bit DH group in the background (minutes of CPU)
        Path dh = settings.control().resolve("dhparam.pem");
        runner.runChecked(Command.of(Duration.ofMinutes(2), "openssl", "dhparam", "-dsaparam", "-out", dh.toString(),
                "2048"));
        Files.setPosixFilePermissions(dh, PosixFilePermissions.fromString("rw-------"));
        patchStartScripts();
        Files.writeString(arcctl(), "#!/bin/sh\nexec env -i PATH=" + PATH + " unshare --mount --propagation private sh -c "
                + "'mount -t tmpfs -o size=1m,mode=0755 vmgrid-test-arc /run/arc && exec arcctl \"$@\"' sh \"$@\"\n");
        Files.setPosixFilePermissions(arcctl(), PosixFilePermissions.fromString("rwxr-xr-x"));
        CommandResult check = runner.run(Command.of(Duration.ofMinutes(1), "/usr/lib/arc/arc-config-check", "--config",
                settings.arcConf().toString(), "--skip-warnings"));
        if (check.exitCode() != 0) {
            throw new IllegalStateException("arc-config-check refuses " + settings.arcConf() + ": " + check.stdoutText()
                    + check.stderrText());
        }
    }

    /** A private test CA, host and user certificates; the user's subject is the one allowed subject. */
    private void testCa() throws IOException {
        Path host = settings.dir().resolve("host");
        Path user = settings.dir().resolve("user");
        arcctlIn(host, "test-ca", "--ca-id", ArcSettings.CA_ID, "init");
        arcctlIn(host, "test-ca", "--ca-id", ArcSettings.CA_ID, "hostcert", "-n", "localhost");
        Files.move(host.resolve("host-localhost-cert.pem"), host.resolve("hostcert.pem"));
        Files.move(host.resolve("host-localhost-key.pem"), host.resolve("hostkey.pem"));
        arcctlIn(user, "test-ca", "--ca-id", ArcSettings.CA_ID, "usercert", "-n", "vmgrid tester", "--no-auth");
        Files.move(user.resolve("client-vmgrid-tester-cert.pem"), userCert());
        Files.move(user.resolve("client-vmgrid-tester-key.pem"), userKey());
        String subject = runner.runChecked(Command.of(Duration.ofSeconds(30), "openssl", "x509", "-in", userCert().toString(),
                "-noout", "-subject", "-nameopt", "compat")).stdoutText().strip().replaceFirst("^subject=\\s*", "");
        Files.writeString(settings.allowedSubjects(), "\"" + subject + "\"\n");
    }

    private void arcctlIn(Path cwd, String... args) {
        List<String> argv = new ArrayList<>(List.of("arcctl", "-c", settings.arcConf().toString()));
        argv.addAll(List.of(args));
        CommandResult r = privateRunArc(argv, cwd);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("arcctl " + String.join(" ", args) + " failed: " + r.stdoutText() + r.stderrText());
        }
    }

    /**
     * Runs an ARC tool in a mount namespace of its own whose {@code /run/arc} is a fresh tmpfs: arcctl
     * caches the parsed arc.conf in {@code /run/arc/arcctl.runtime.conf}, which would otherwise
     * replace the system's own cache with this test's configuration.
     */
    private CommandResult privateRunArc(List<String> argv, Path cwd) {
        List<String> ns = new ArrayList<>(List.of("env", "-i", "PATH=" + PATH, "unshare", "--mount", "--propagation",
                "private", "sh", "-c",
                "mount -t tmpfs -o size=1m,mode=0755 vmgrid-test-arc /run/arc && exec \"$@\"", "sh"));
        ns.addAll(argv);
        return runner.run(Command.of(Duration.ofMinutes(2), ns).in(cwd));
    }

    /**
     * Private copies of the packaged start scripts: the job manager's infoprovider runs every
     * {@code INFOPROVIDER_WAKEUP_PERIOD} tenths of a second (stock: 60 s, which arcstat lags by),
     * and the WS interface listens on 127.0.0.1 only (stock: every interface).
     */
    private void patchStartScripts() throws IOException {
        Path bin = settings.dir().resolve("bin");
        String gm = "<arex:gmconfig>$ARC_RUNTIME_CONFIG</arex:gmconfig>";
        String arex = once(Files.readString(Path.of("/usr/share/arc/arc-arex-start")), gm, gm
                + "<arex:InfoproviderWakeupPeriod>${INFOPROVIDER_WAKEUP_PERIOD:-600}</arex:InfoproviderWakeupPeriod>");
        String listen = "<tcp:Listen><tcp:Port>";
        String ws = Files.readString(Path.of("/usr/share/arc/arc-arex-ws-start"));
        if (!ws.contains(listen)) {
            throw new IllegalStateException("arc-arex-ws-start has no " + listen + ": the ARC package changed shape");
        }
        ws = ws.replace(listen, "<tcp:Listen><tcp:Interface>127.0.0.1</tcp:Interface><tcp:Port>");
        for (Map.Entry<String, String> e : Map.of("arc-arex-start", arex, "arc-arex-ws-start", ws).entrySet()) {
            Path p = bin.resolve(e.getKey());
            Files.writeString(p, e.getValue());
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    static String once(String text, String find, String replacement) {
        int at = text.indexOf(find);
        if (at < 0 || text.indexOf(find, at + 1) >= 0) {
            throw new IllegalStateException("expected one '" + find + "' in an ARC script: the ARC package changed shape");
        }
        return text.replace(find, replacement);
    }

    /** Both arched processes in the foreground ({@code -f}: no pid file, the process is arched), each its own session. */
    private void startArex() throws IOException, InterruptedException {
        Files.deleteIfExists(settings.control().resolve("info.xml"));
        Path bin = settings.dir().resolve("bin");
        arched.add(foreground(List.of("setsid", bin.resolve("arc-arex-start").toString(), "-f"), "arex-start.out",
                Map.of("INFOPROVIDER_WAKEUP_PERIOD", Integer.toString(settings.infoproviderPeriodTenths()))));
        arched.add(foreground(List.of("setsid", bin.resolve("arc-arex-ws-start").toString(), "-f"), "arex-ws-start.out",
                Map.of()));
        long deadline = System.nanoTime() + START.toNanos();
        while (!(listening(settings.wsPort()) && Files.exists(settings.control().resolve("info.xml")))) {
            for (Process p : arched) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("arched exited at start (" + p.exitValue() + "): "
                            + tail(settings.log().resolve("arex-start.out")) + tail(settings.log().resolve("arex-ws-start.out"))
                            + tail(settings.log().resolve("arex.log")));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("A-REX not ready in " + START.toSeconds() + " s (port " + settings.wsPort()
                        + ", control/info.xml): " + tail(settings.log().resolve("arex.log")));
            }
            Thread.sleep(200);
        }
    }

    private Process foreground(List<String> argv, String out, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.log().resolve(out).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", PATH, "LC_ALL", "C", "ARC_CONFIG", settings.arcConf().toString()));
        pb.environment().putAll(env);
        return pb.start();
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return "\n--- " + file + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "\n--- " + file + ": (none)";
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops both arched and their process groups, then the infosys, by PID; removes the directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            for (Process p : arched) {
                ProcessGroups.stop(p.toHandle(), Duration.ofSeconds(30));
            }
        } finally {
            try {
                infosys.close();
            } finally {
                Unprivileged.deleteTree(settings.dir());
            }
        }
    }
}
