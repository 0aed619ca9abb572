package org.vmgrid.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * A single-node Grid Engine (Son of Grid Engine 8.1.9 as Debian 12 packages it) on loopback, in a
 * private {@code SGE_ROOT} and cell under {@code dir}: classic spooling, random qmaster and execd
 * ports, both daemons started as root with a clean environment and stopped by the PIDs they wrote.
 * Nothing of the system's {@code /var/lib/gridengine} cell is used.
 *
 * <p>What Grid Engine needs here beyond its packages (found by running it): the qmaster and execd
 * name themselves by {@code gethostname()} while a connection from 127.0.0.1 resolves to
 * {@code localhost}, so the cell's {@code host_aliases} makes the host's names aliases of
 * {@code localhost}; the host's load (often above the queues' default {@code np_load_avg=1.75} on
 * a busy 2-core machine) would hold every job, so the queues have no load thresholds.
 *
 * <p>The cell has the resources vmgrid's directives ask for: a BOOL complex {@code vmgrid}
 * (requestable FORCED: only jobs that ask for it run in a queue that offers it), a per-job
 * consumable {@code vmslot} (the host offers 4) and the parallel environment {@code smp}. Queue
 * {@code all.q} takes plain jobs; queue {@code vm.q} offers {@code vmgrid=TRUE} and, when given, runs
 * its jobs through a {@code starter_method}. Job scratch directories ({@code tmpdir}) are under
 * {@code dir}. {@link #close} deletes every job, waits until none is left, then stops execd and
 * qmaster by their PIDs.
 */
public final class LoopbackGridEngine implements AutoCloseable {

    public static final String CELL = "vmgrid";
    public static final String PLAIN_QUEUE = "all.q";
    public static final String VM_QUEUE = "vm.q";
    /** The name the cell knows this host by (the other names are aliases of it). */
    public static final String HOST = "localhost";

    private static final Path PACKAGE_ROOT = Path.of("/var/lib/gridengine");

    private final Path dir;
    private final Path root;
    private final Path starter;
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path qmasterPid;
    private Path execdPid;

    /** A cell whose VM queue has no starter_method. */
    public LoopbackGridEngine(Path dir) throws IOException, InterruptedException {
        this(dir, null);
    }

    /**
     * A cell whose VM queue runs its jobs through {@code starter} (an absolute path, as
     * {@code starter_method} takes it: no arguments); null for none.
     */
    public LoopbackGridEngine(Path dir, Path starter) throws IOException, InterruptedException {
        this.dir = dir;
        this.root = dir.resolve("root");
        this.starter = starter;
        try {
            start();
        } catch (IOException | RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** The environment a client command needs for this cell: SGE_ROOT, SGE_CELL and the two ports. */
    public Map<String, String> clientEnvironment() {
        return Map.copyOf(env);
    }

    /** The same as {@code NAME=VALUE} words, for {@code env -i}. */
    public List<String> clientEnvironmentWords() {
        List<String> words = new ArrayList<>();
        env.forEach((k, v) -> words.add(k + "=" + v));
        return words;
    }

    /** The execd's spool directory for this host (job scripts, active jobs, its messages). */
    public Path execdSpool() {
        return dir.resolve("execd").resolve(HOST);
    }

    private void start() throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path common = Files.createDirectories(root.resolve(CELL).resolve("common"));
        for (String link : List.of("bin", "lib", "util", "utilbin")) {
            Files.createSymbolicLink(root.resolve(link), PACKAGE_ROOT.resolve(link));
        }
        Path qmasterSpool = Files.createDirectories(dir.resolve("qmaster"));
        Path execdSpool = Files.createDirectories(dir.resolve("execd"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        run("chmod", "1777", tmp.toString());
        env.put("SGE_ROOT", root.toString());
        env.put("SGE_CELL", CELL);
        env.put("SGE_QMASTER_PORT", Integer.toString(freePort()));
        env.put("SGE_EXECD_PORT", Integer.toString(freePort()));
        String spooling = common + ";" + qmasterSpool;
        Files.writeString(common.resolve("bootstrap"), String.join("\n",
                "admin_user              none",
                "default_domain          none",
                "ignore_fqdn             true",
                "spooling_method         classic",
                "spooling_lib            libspoolc",
                "spooling_params         " + spooling,
                "binary_path             /usr/sbin",
                "qmaster_spool_dir       " + qmasterSpool,
                "security_mode           none",
                "listener_threads        2",
                "worker_threads          2",
                "scheduler_threads       1", ""));
        Files.writeString(common.resolve("act_qmaster"), HOST + "\n");
        Files.writeString(common.resolve("host_aliases"), hostAliases());
        spool("spoolinit", "classic", "libspoolc", spooling, "init");
        Path global = dir.resolve("global.conf");
        Files.writeString(global, globalConfiguration(execdSpool));
        spool("spooldefaults", "configuration", global.toString());
        spool("spooldefaults", "complexes", complexes().toString());
        spool("spooldefaults", "usersets", "/usr/share/gridengine/util/resources/usersets");
        spool("spooldefaults", "managers", "root");
        qmasterPid = qmasterSpool.resolve("qmaster.pid");
        daemon("/usr/sbin/sge_qmaster");
        awaitQmaster();
        qconf("-as", HOST);
        Path sconf = dir.resolve("sched.conf");
        Files.writeString(sconf, schedulerConfiguration(qconf("-ssconf").stdoutText()));
        qconf("-Msconf", sconf.toString());
        qconf("-Ap", "/usr/share/gridengine/util/resources/pe/smp");
        execdPid = execdSpool().resolve("execd.pid");
        daemon("/usr/sbin/sge_execd");
        awaitExecHost();
        Path host = dir.resolve("exechost.conf");
        Files.writeString(host, "hostname " + HOST + "\nload_scaling NONE\ncomplex_values vmslot=4\nuser_lists NONE\n"
                + "xuser_lists NONE\nprojects NONE\nxprojects NONE\nusage_scaling NONE\nreport_variables NONE\n");
        qconf("-Me", host.toString());
        addQueue(PLAIN_QUEUE, "NONE", "NONE", tmp);
        addQueue(VM_QUEUE, "vmgrid=TRUE", starter == null ? "NONE" : starter.toString(), tmp);
        awaitQueues();
    }

    /** {@code localhost} and, as its aliases, every name this host calls itself. */
    private static String hostAliases() throws IOException {
        List<String> names = new ArrayList<>(List.of(HOST));
        for (String n : List.of(InetAddress.getLocalHost().getHostName(), InetAddress.getLocalHost().getCanonicalHostName(),
                Files.readString(Path.of("/proc/sys/kernel/hostname")).strip())) {
            if (!n.isBlank() && !names.contains(n)) {
                names.add(n);
            }
        }
        return String.join(" ", names) + "\n";
    }

    private String globalConfiguration(Path execdSpool) throws IOException {
        Map<String, String> set = Map.of(
                "execd_spool_dir", execdSpool.toString(),
                "mailer", "/bin/true",
                "min_uid", "1",
                "min_gid", "1",
                "load_report_time", "00:00:05",
                "reporting_params", "accounting=true reporting=false flush_time=00:00:01 joblog=false sharelog=00:00:00");
        StringBuilder b = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/usr/share/gridengine/default-configuration"))) {
            String key = line.split("\\s+", 2)[0];
            b.append(set.containsKey(key) ? key + " " + set.get(key) : line).append('\n');
        }
        return b.toString();
    }

    /** Grid Engine's standard complexes plus vmgrid's two. */
    private Path complexes() throws IOException {
        Path d = Files.createDirectories(dir.resolve("centry"));
        try (var s = Files.list(Path.of("/usr/share/gridengine/util/resources/centry"))) {
            for (Path p : s.toList()) {
                Files.copy(p, d.resolve(p.getFileName()));
            }
        }
        Files.writeString(d.resolve("vmgrid"), "name vmgrid\nshortcut vmgrid\ntype BOOL\nrelop ==\nrequestable FORCED\n"
                + "consumable NO\ndefault FALSE\nurgency 0\n");
        Files.writeString(d.resolve("vmslot"), "name vmslot\nshortcut vmslot\ntype INT\nrelop <=\nrequestable YES\n"
                + "consumable JOB\ndefault 0\nurgency 0\n");
        return d;
    }

    /** Schedules at once: a one-second interval, flushes on submit and finish, no load adjustment. */
    private static String schedulerConfiguration(String current) {
        Map<String, String> set = Map.of(
                "schedule_interval", "0:0:1",
                "flush_submit_sec", "1",
                "flush_finish_sec", "1",
                "job_load_adjustments", "NONE",
                "load_adjustment_decay_time", "0:0:0");
        StringBuilder b = new StringBuilder();
        for (String line : current.split("\n")) {
            String key = line.split("\\s+", 2)[0];
            b.append(set.containsKey(key) ? key + " " + set.get(key) : line).append('\n');
        }
        return b.toString();
    }

    private void addQueue(String name, String complexValues, String starterMethod, Path tmp) throws IOException {
        Path q = dir.resolve(name + ".conf");
        Files.writeString(q, String.join("\n",
                "qname " + name, "hostlist " + HOST, "seq_no 0", "load_thresholds NONE", "suspend_thresholds NONE",
                "nsuspend 1", "suspend_interval 00:05:00", "priority 0", "min_cpu_interval 00:05:00",
                "processors UNDEFINED", "qtype BATCH INTERACTIVE", "ckpt_list NONE", "pe_list smp", "rerun FALSE",
                "slots 4", "tmpdir " + tmp, "shell /bin/sh", "prolog NONE", "epilog NONE",
                "shell_start_mode posix_compliant", "starter_method " + starterMethod, "suspend_method NONE",
                "resume_method NONE", "terminate_method NONE", "notify 00:00:60", "owner_list NONE", "user_lists NONE",
                "xuser_lists NONE", "subordinate_list NONE", "complex_values " + complexValues, "projects NONE",
                "xprojects NONE", "calendar NONE", "initial_state default", "s_rt INFINITY", "h_rt INFINITY",
                "s_cpu INFINITY", "h_cpu INFINITY", "s_fsize INFINITY", "h_fsize INFINITY", "s_data INFINITY",
                "h_data INFINITY", "s_stack INFINITY", "h_stack INFINITY", "s_core INFINITY", "h_core INFINITY",
                "s_rss INFINITY", "h_rss INFINITY", "s_vmem INFINITY", "h_vmem INFINITY", ""));
        qconf("-Aq", q.toString());
    }

    private void awaitQmaster() throws InterruptedException {
        CommandResult last = null;
        for (int i = 0; i < 300; i++) {
            last = client("qconf", "-sh");
            if (last.exitCode() == 0 && last.stdoutText().lines().anyMatch(HOST::equals)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the loopback qmaster did not answer in 30 s: " + (last == null ? "" : last.stderrText())
                + "; see " + dir.resolve("qmaster/messages"));
    }

    private void awaitExecHost() throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            CommandResult r = client("qhost", "-h", HOST);
            if (r.exitCode() == 0 && r.stdoutText().lines().anyMatch(l -> l.startsWith(HOST + " ") && l.contains("lx-amd64"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the loopback execd did not report to the qmaster in 60 s; see " + execdSpool());
    }

    /** Waits until both queue instances are there and in no state (not unknown, alarm or error). */
    private void awaitQueues() throws InterruptedException {
        String last = "";
        for (int i = 0; i < 600; i++) {
            CommandResult r = client("qstat", "-f", "-q", PLAIN_QUEUE + "," + VM_QUEUE);
            last = r.stdoutText();
            long ready = last.lines().filter(l -> l.matches("(" + Pattern.quote(PLAIN_QUEUE) + "|" + Pattern.quote(VM_QUEUE)
                    + ")@" + HOST + "\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s*")).count();
            if (r.exitCode() == 0 && ready == 2) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the loopback queues did not become ready in 60 s:\n" + last);
    }

    /** Runs a Grid Engine client command against this cell, as root. */
    public CommandResult client(String... argv) {
        return runner.run(Command.of(Duration.ofSeconds(30), argv).withEnv(env));
    }

    /**
     * Runs a client command as another user: {@code prefix} (e.g. {@link Unprivileged#as}) must end
     * in {@code env -i ...}; the cell's variables follow it.
     */
    public CommandResult clientAs(List<String> prefix, Path cwd, String... argv) {
        List<String> a = new ArrayList<>(prefix);
        a.addAll(clientEnvironmentWords());
        a.addAll(List.of(argv));
        return runner.run(Command.of(Duration.ofSeconds(30), a).in(cwd));
    }

    private CommandResult qconf(String... args) {
        List<String> argv = new ArrayList<>(List.of("qconf"));
        argv.addAll(List.of(args));
        CommandResult r = client(argv.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("qconf " + String.join(" ", args) + " failed (exit " + r.exitCode() + "): "
                    + r.stdoutText() + r.stderrText());
        }
        return r;
    }

    /** One job's lines of {@code qstat -j}, or empty once the qmaster no longer knows it. */
    public String jobStatus(String id) {
        CommandResult r = client("qstat", "-j", id);
        return r.exitCode() == 0 ? r.stdoutText() : "";
    }

    /** The job's state letters in {@code qstat} ({@code r}, {@code qw}, {@code Eqw}, ...), or empty once it ended. */
    public String jobState(String id) {
        for (String line : client("qstat", "-u", "*").stdoutText().split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 4 && f[0].equals(id)) {
                return f[4];
            }
        }
        return "";
    }

    /** Waits until the job runs (state {@code r}), bounded. */
    public void awaitRunning(String id, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (jobState(id).equals("r")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " did not start within " + limit + "; state '" + jobState(id) + "'\n"
                + jobStatus(id));
    }

    /**
     * Waits until the job has ended and its accounting record is written, bounded; answers the
     * record's fields ({@code exit_status}, {@code failed}, {@code qname}, ...) as {@code qacct -j} prints them.
     */
    public Map<String, String> awaitEnd(String id, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (jobState(id).isEmpty()) {
                CommandResult r = client("qacct", "-j", id);
                if (r.exitCode() == 0 && r.stdoutText().contains("jobnumber")) {
                    return accountingFields(r.stdoutText());
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job " + id + " did not end within " + limit + "; state '" + jobState(id) + "'\n"
                + jobStatus(id));
    }

    private static Map<String, String> accountingFields(String qacct) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^(\\w+)\\s+(.*?)\\s*$").matcher(qacct);
        while (m.find()) {
            fields.putIfAbsent(m.group(1), m.group(2));
        }
        return fields;
    }

    private void spool(String tool, String... args) {
        List<String> argv = new ArrayList<>(List.of("/usr/lib/gridengine/" + tool));
        argv.addAll(List.of(args));
        CommandResult r = runner.run(Command.of(Duration.ofSeconds(60), argv).withEnv(env));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(tool + " " + String.join(" ", args) + " failed (exit " + r.exitCode() + "): "
                    + r.stdoutText() + r.stderrText());
        }
    }

    /** Starts a daemon (it forks into the background) as root with only the cell's environment. */
    private void daemon(String program) {
        List<String> argv = new ArrayList<>(List.of("env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C"));
        argv.addAll(clientEnvironmentWords());
        argv.add(program);
        runner.run(Command.of(Duration.ofSeconds(60), argv).in(dir)).requireSuccess();
    }

    private void run(String... argv) {
        runner.run(Command.of(Duration.ofSeconds(30), argv)).requireSuccess();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Alive and not a zombie (the daemons are children of PID 1, which may reap them late). */
    private static boolean running(String pid) {
        try {
            return !Files.readString(Path.of("/proc", pid, "status")).contains("State:\tZ");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() throws InterruptedException {
        if (execdPid != null && Files.exists(execdPid)) {
            client("qdel", "-f", "-u", "*");
            for (int i = 0; i < 300; i++) {
                CommandResult q = client("qstat", "-u", "*");
                if (q.exitCode() != 0 || q.stdoutText().isBlank()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        // execd first (its shepherds have ended with the jobs), then the qmaster, which takes a few seconds
        for (Path pidFile : new Path[] {execdPid, qmasterPid}) {
            stopByPid(pidFile);
        }
    }

    private void stopByPid(Path pidFile) throws InterruptedException {
        if (pidFile == null) {
            return;
        }
        try {
            String pid = Files.readString(pidFile).trim();
            if (!pid.matches("[0-9]{1,9}")) {
                return;
            }
            ProcessHandle p = ProcessHandle.of(Long.parseLong(pid)).orElse(null);
            if (p == null || !p.info().command().orElse("").contains("/sge_")) {
                return;
            }
            p.destroy();
            for (int i = 0; i < 300 && running(pid); i++) {
                Thread.sleep(100);
            }
            if (running(pid)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // the daemon never started
        }
    }
}
