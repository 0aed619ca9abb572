package org.vmgrid.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A private BDII for tests: Debian's slapd with the BDII's GLUE configuration, moved to a
 * temporary directory, on a free loopback port, plus a private copy of bdii-update (6.0.0, patched
 * to pass {@code -H ldap://host:port} to the OpenLDAP 2.5 tools) at DEBUG level. Both are stopped
 * by PID in {@link #close()}. A resource or site BDII uses Debian's {@code bdii-slapd.conf}; a
 * top-level BDII ({@link #topLevel}) uses {@code bdii-top-slapd.conf}, where {@code o=grid} is a
 * relay onto {@code o=shadow} and bdii-update binds as {@code o=shadow}.
 */
final class PrivateBdii implements AutoCloseable {

    final Path dir;
    final int port;
    final Path providerDir;
    final Path log;
    private final Process slapd;
    private Optional<ProcessHandle> updater = Optional.empty();

    /** A resource or site BDII. */
    PrivateBdii(Path dir) throws IOException, InterruptedException {
        this(dir, Path.of("/etc/bdii/bdii-slapd.conf"));
    }

    /** A top-level BDII: the same slapd and bdii-update with Debian's top-level slapd configuration. */
    static PrivateBdii topLevel(Path dir) throws IOException, InterruptedException {
        return new PrivateBdii(dir, Path.of("/etc/bdii/bdii-top-slapd.conf"));
    }

    private PrivateBdii(Path dir, Path shippedSlapdConf) throws IOException, InterruptedException {
        this.dir = dir;
        this.port = freePort();
        for (String d : List.of("db/grid", "db/glue", "db/stats", "run", "var", "gip/ldif", "gip/provider", "gip/plugin")) {
            Files.createDirectories(dir.resolve(d));
        }
        providerDir = dir.resolve("gip/provider");
        log = dir.resolve("bdii-update.log");
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        // every database's rootpw (plain "secret" in bdii-slapd.conf, a hash in bdii-top-slapd.conf)
        // becomes one random plain password: bdii-update reads it from here to bind
        String conf = Files.readString(shippedSlapdConf)
                .replace("/run/bdii/db/", dir.resolve("run") + "/")
                .replace("/var/lib/bdii/db/", dir.resolve("db") + "/")
                .replaceAll("(?m)^rootpw\\s+\\S+$", "rootpw          " + password);
        if (conf.contains("secret") || conf.contains("/var/lib/bdii") || !conf.contains("rootpw          " + password)) {
            throw new IllegalStateException(shippedSlapdConf + " changed shape; cannot move it to " + dir);
        }
        Path slapdConf = dir.resolve("bdii-slapd.conf");
        Files.writeString(slapdConf, conf);
        // Debian's default.ldif names o=shadow with "o: o=shadow", which slapd refuses (naming violation)
        // in every cycle where o=shadow is a database of its own: a top-level BDII's
        String defaults = Files.readString(Path.of("/var/lib/bdii/gip/ldif/default.ldif"));
        Files.writeString(dir.resolve("gip/ldif/default.ldif"), defaults.replace("\no: o=shadow\n", "\no: shadow\n"));
        // Debian's bdii-update 6.0.0 passes -h/-p, which OpenLDAP 2.5 removed (fixed upstream in 6.0.2)
        String updater = Files.readString(Path.of("/usr/sbin/bdii-update")).replace("-h %s -p %s", "-H ldap://%s:%s");
        Files.writeString(dir.resolve("bdii-update"), updater);
        Files.writeString(dir.resolve("bdii.conf"), String.join("\n",
                "BDII_LOG_FILE=" + log, "BDII_PID_FILE=" + dir.resolve("run/bdii-update.pid"), "BDII_LOG_LEVEL=DEBUG",
                "BDII_LDIF_DIR=" + dir.resolve("gip/ldif"), "BDII_PROVIDER_DIR=" + providerDir,
                "BDII_PLUGIN_DIR=" + dir.resolve("gip/plugin"), "BDII_PORT=" + port, "BDII_HOSTNAME=127.0.0.1",
                "BDII_BREATHE_TIME=0.5", "BDII_READ_TIMEOUT=120", "BDII_ARCHIVE_SIZE=0", "BDII_DELETE_DELAY=0",
                "BDII_VAR_DIR=" + dir.resolve("var"), "BDII_RUN_DIR=" + dir.resolve("run"), "SLAPD_CONF=" + slapdConf, ""));
        // -d 0: stay in the foreground, so the Process is slapd itself and can be stopped by its PID
        slapd = new ProcessBuilder("slapd", "-f", slapdConf.toString(), "-h", "ldap://127.0.0.1:" + port + "/", "-d", "0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("slapd.log").toFile()).start();
        try {
            await("slapd listening on 127.0.0.1:" + port, Duration.ofSeconds(30), this::listening);
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** Starts bdii-update in daemon mode with the given extra environment (for the providers). */
    void startUpdater(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("python3", dir.resolve("bdii-update").toString(), "-c",
                dir.resolve("bdii.conf").toString(), "-d").redirectErrorStream(true)
                .redirectOutput(dir.resolve("bdii-update.out").toFile());
        pb.environment().putAll(env);
        int exit = pb.start().waitFor(); // the daemon forks away; its PID lands in the pid file
        Path pidFile = dir.resolve("run/bdii-update.pid");
        await("bdii-update's pid file (launcher exited " + exit + ")", Duration.ofSeconds(30),
                () -> Files.exists(pidFile) && readPid(pidFile).isPresent());
        updater = ProcessHandle.of(readPid(pidFile).orElseThrow());
    }

    /** How many update cycles bdii-update has finished so far. */
    long cycles() {
        return logLines().stream().filter(l -> l.contains("[INFO] Sleeping for")).count();
    }

    List<String> logLines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + log, e);
        }
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant end = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + limit);
            }
            Thread.sleep(200);
        }
    }

    private boolean listening() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            String t = Files.readString(pidFile).strip();
            return t.matches("\\d+") ? Optional.of(Long.parseLong(t)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops bdii-update, then slapd, each by its own PID, and waits for them to go. */
    @Override
    public void close() {
        updater.ifPresent(h -> {
            List<ProcessHandle> children = h.descendants().toList(); // a provider it may be running
            stop(h, "bdii-update");
            children.forEach(c -> stop(c, "bdii-update's provider"));
        });
        stop(slapd.toHandle(), "slapd");
    }

    private static void stop(ProcessHandle h, String name) {
        if (!h.isAlive()) {
            return;
        }
        h.destroy();
        try {
            h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            h.destroyForcibly();
        }
        if (h.isAlive()) {
            throw new IllegalStateException(name + " (PID " + h.pid() + ") did not stop");
        }
    }
}
