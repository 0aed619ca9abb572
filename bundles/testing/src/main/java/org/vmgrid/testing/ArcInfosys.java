package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
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
 * ones write {@code /run/arc}), then slapd and bdii-update run in the foreground as the openldap
 * user, each in a session of its own, on 127.0.0.1 only. Debian 12 needs three fixes: the
 * {@code mdb} backend has no {@code cachesize}, bdii-update 6.0.0 passes {@code -h/-p} which
 * OpenLDAP 2.5 dropped, and A-REX's infoprovider feeds the BDII only when bdii-update's pid file
 * exists (written here, owned by openldap, as bdii-update's daemon mode would).
 */
final class ArcInfosys implements AutoCloseable {

    static final String LDAP_USER = "openldap";
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final ArcSettings settings;
    private Optional<Process> slapd = Optional.empty();
    private Optional<Process> updater = Optional.empty();

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
            CommandResult r = runner.run(Command.of(Duration.ofMinutes(1), dir.resolve(script).toString())
                    .withEnv(Map.of("ARC_CONFIG", settings.arcConf().toString())));
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
        updater = Optional.of(foreground(List.of("setsid", "setpriv", "--reuid=" + LDAP_USER, "--regid=" + LDAP_USER,
                "--init-groups", "python3", updateCopy.toString(), "-c", conf.toString()), "bdii-update.out"));
        Path pidFile = dir.resolve("bdii-run/bdii-update.pid");
        Files.writeString(pidFile, updater.get().pid() + "\n");
        UserPrincipalLookupService users = pidFile.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(pidFile, users.lookupPrincipalByName(LDAP_USER));
    }

    private Process foreground(List<String> argv, String out) throws IOException {
        return new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.infosys().resolve(out).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
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
                ProcessHandle u = updater.get().toHandle();
                TreeSet<Long> groups = new TreeSet<>();
                u.descendants().forEach(d -> groups.add(pgrpOf(d.pid())));
                groups.remove(-1L);
                ProcessGroups.stop(u, Duration.ofSeconds(10));
                for (long g : groups) {
                    if (g != u.pid()) {
                        ProcessGroups.stopGroup(g, Duration.ofSeconds(10));
                    }
                }
            }
        } finally {
            if (slapd.isPresent()) {
                ProcessGroups.stop(slapd.get().toHandle(), Duration.ofSeconds(20));
            }
        }
    }

    private static long pgrpOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
