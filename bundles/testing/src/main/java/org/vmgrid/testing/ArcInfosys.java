package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * ARC's LDAP information system started by hand: ARC's own generators write slapd's and
 * bdii-update's configuration (private copies whose only change is where they put it: the stock
 * ones write {@code /run/arc}), then slapd (in the foreground, a session of its own) and
 * bdii-update (a daemon, which makes its own session and writes the pid file A-REX's
 * infoprovider looks for) run as the openldap user on 127.0.0.1 only. Debian 12 needs two fixes:
 * the {@code mdb} backend has no {@code cachesize}, and bdii-update 6.0.0 passes {@code -h/-p},
 * which OpenLDAP 2.5 dropped.
 */
final class ArcInfosys implements AutoCloseable {

    static final String LDAP_USER = "openldap";
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final ArcSettings settings;
    private Optional<Process> slapd = Optional.empty();
    private Optional<ProcessHandle> updater = Optional.empty();

    ArcInfosys(ArcSettings settings) {
        this.settings = settings;
    }

    void start() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(settings.infosys());
        Path run = dir.resolve("run");
        String moved = "runtime_config_dir=" + run;
        for (String script : List.of("create-slapd-config", "create-bdii-config")) {
            String text = LoopbackArc.once(Files.readString(Path.of("/usr/share/arc", script)),
                    "\nruntime_config_dir=/run/arc\n", "\n" + moved + "\n");
            Path copy = dir.resolve(script);
            Files.writeString(copy, text);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        String update = Files.readString(Path.of("/usr/sbin/bdii-update"));
        if (!update.contains("-h %s -p %s")) {
            throw new IllegalStateException("bdii-update no longer passes -h/-p: drop the patch for OpenLDAP 2.5");
        }
        update = update.replace("-h %s -p %s", "-H ldap://%s:%s").replace("-x -h %s -b", "-x -H ldap://%s -b");
        Path updateCopy = dir.resolve("bdii-update");
        Files.writeString(updateCopy, update);
        Files.setPosixFilePermissions(updateCopy, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String script : List.of("create-slapd-config", "create-bdii-config")) {
            CommandResult r = runner.run(Command.of(Duration.ofMinutes(1), "env", "-i", "PATH=" + LoopbackArc.PATH,
                    "ARC_CONFIG=" + settings.arcConf(), dir.resolve(script).toString()));
            if (r.exitCode() != 0) {
                throw new IllegalStateException(script + " failed: " + r.stdoutText() + r.stderrText());
            }
        }
        Path slapdConf = run.resolve("bdii-slapd.conf");
        List<String> kept = Files.readAllLines(slapdConf).stream().filter(l -> !l.strip().startsWith("cachesize")).toList();
        Files.write(slapdConf, kept);

        String url = "ldap://127.0.0.1:" + settings.ldapPort() + "/";
        slapd = Optional.of(foreground(List.of("setsid", "/usr/sbin/slapd", "-d", "0", "-f", slapdConf.toString(), "-h", url,
                "-u", LDAP_USER, "-g", LDAP_USER), "slapd.out"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!LoopbackArc.listening(settings.ldapPort())) {
            if (!slapd.get().isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("slapd did not listen on " + url + LoopbackArc.tail(dir.resolve("slapd.out")));
            }
            Thread.sleep(100);
        }
        Path conf = run.resolve("bdii.conf");
        // bdii-update runs its cycles only as a daemon (without -d it prints one cycle and exits): it
        // forks into a session of its own and writes its PID, owned by openldap as the infoprovider wants
        Path pidFile = dir.resolve("bdii-run/bdii-update.pid");
        Process launcher = foreground(List.of("setpriv", "--reuid=" + LDAP_USER, "--regid=" + LDAP_USER, "--init-groups",
                "/usr/bin/python3", updateCopy.toString(), "-c", conf.toString(), "-d"), "bdii-update.out");
        launcher.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (updater.isEmpty()) {
            updater = daemon(pidFile, updateCopy);
            if (updater.isEmpty() && System.nanoTime() > deadline) {
                throw new IllegalStateException("bdii-update did not start" + LoopbackArc.tail(dir.resolve("bdii-update.out"))
                        + LoopbackArc.tail(dir.resolve("bdii-log/bdii-update.log")));
            }
            Thread.sleep(100);
        }
    }

    /** The daemon of the pid file, if it is alive and runs our copy of bdii-update (not a recycled PID). */
    private static Optional<ProcessHandle> daemon(Path pidFile, Path script) {
        try {
            String pid = Files.readString(pidFile).strip();
            if (!pid.matches("[0-9]{1,9}")) {
                return Optional.empty();
            }
            String cmdline = Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
            return cmdline.contains(script.toString()) ? ProcessHandle.of(Long.parseLong(pid)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Process foreground(List<String> argv, String out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.infosys().resolve(out).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", LoopbackArc.PATH, "LC_ALL", "C"));
        return pb.start();
    }

    /**
     * bdii-update runs each provider in a process group of its own (ARC's waits on A-REX's fifo for
     * up to bdii_read_timeout): those groups are noted first, then bdii-update, its groups and
     * slapd are stopped.
     */
    @Override
    public void close() throws InterruptedException {
        try {
            if (updater.isPresent()) {
                ProcessHandle u = updater.get();
                TreeSet<Long> groups = new TreeSet<>();
                long own = ProcessGroups.pgrp(u.pid());
                u.descendants().forEach(d -> groups.add(ProcessGroups.pgrp(d.pid())));
                groups.remove(-1L);
                groups.remove(own);
                ProcessGroups.stop(u, Duration.ofSeconds(10));
                for (long g : groups) {
                    ProcessGroups.stopGroup(g, Duration.ofSeconds(10));
                }
            }
        } finally {
            if (slapd.isPresent()) {
                ProcessGroups.stop(slapd.get().toHandle(), Duration.ofSeconds(20));
            }
        }
    }
}
