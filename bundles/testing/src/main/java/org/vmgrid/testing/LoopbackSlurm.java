package org.vmgrid.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * A SLURM cluster in a private directory: munged (as user munge, own key and socket), slurmctld and
 * one slurmd per node; by default one node on loopback. Each node offers feature {@code vmgrid}
 * and the counting GRES {@code vmslot:4}; the partition schedules to the least loaded node
 * ({@code LLN}); optionally the slurmds load the SPANK plugins of a given {@code plugstack.conf}.
 * The nodes may be in namespaces of their own (a {@link Node}'s argv prefix), each slurmd on its
 * own address, spool directory, PID file and log ({@code %n}). {@link #close} cancels every job,
 * waits until none runs, then stops the daemons by the PIDs they wrote.
 */
public final class LoopbackSlurm implements AutoCloseable {

    public static final String NODE = "vmgridnode";
    /** The one partition, holding the node; the default. */
    public static final String PARTITION = "grid";

    /**
     * One node: its name, its address (where slurmctld reaches its slurmd), its hostname, and the
     * argv prefix that starts its slurmd where the node is (nothing: here).
     */
    public record Node(String name, String address, String hostname, List<String> enter) {
    }

    private final Path dir;
    private final Path conf;
    private final String controllerAddress;
    private final List<Node> nodes;
    private final List<String> moreConf;
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private final List<Path> pidFiles = new ArrayList<>();

    /** null: no PlugStackConfig line, SLURM's default. */
    private final Path plugstack;

    /** A cluster without SPANK plugins. */
    public LoopbackSlurm(Path dir) throws IOException, InterruptedException {
        this(dir, null);
    }

    /** A cluster whose slurmd loads the SPANK plugins listed in {@code plugstack}. */
    public LoopbackSlurm(Path dir, Path plugstack) throws IOException, InterruptedException {
        this(dir, plugstack, "127.0.0.1", List.of(new Node(NODE, "127.0.0.1", "localhost", List.of())), List.of());
    }

    /**
     * A cluster of several nodes; slurmctld runs here and is reached at {@code controllerAddress}.
     *
     * @param moreConf more lines for {@code slurm.conf} ({@code SlurmdTimeout=...}, ...)
     */
    public LoopbackSlurm(Path dir, Path plugstack, String controllerAddress, List<Node> nodes, List<String> moreConf)
            throws IOException, InterruptedException {
        this.dir = dir;
        this.plugstack = plugstack;
        this.controllerAddress = controllerAddress;
        this.nodes = List.copyOf(nodes);
        this.moreConf = List.copyOf(moreConf);
        this.conf = dir.resolve("slurm.conf");
        try {
            start();
        } catch (IOException | RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    private void start() throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path munge = Files.createDirectories(dir.resolve("munge"));
        byte[] key = new byte[1024];
        new SecureRandom().nextBytes(key);
        Files.write(munge.resolve("munge.key"), key);
        run("chown", "-R", "munge:munge", munge.toString());
        run("chmod", "0400", munge.resolve("munge.key").toString());
        run("chmod", "0711", munge.toString());
        Path sock = munge.resolve("munge.sock");
        pidFiles.add(munge.resolve("munged.pid"));
        run("/usr/sbin/runuser", "-u", "munge", "--", "/usr/sbin/munged", "--socket=" + sock,
                "--key-file=" + munge.resolve("munge.key"), "--pid-file=" + munge.resolve("munged.pid"),
                "--log-file=" + munge.resolve("munged.log"), "--seed-file=" + munge.resolve("munged.seed"));
        int ctldPort = freePort();
        int slurmdPort = freePort();
        Files.createDirectories(dir.resolve("state"));
        for (Node n : nodes) {
            Files.createDirectories(dir.resolve("spool").resolve(n.name()));
        }
        List<String> lines = new ArrayList<>(List.of(
                "ClusterName=vmgridtest",
                "SlurmctldHost=localhost(" + controllerAddress + ")",
                "SlurmctldPort=" + ctldPort,
                "SlurmdPort=" + slurmdPort,
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "AuthInfo=socket=" + sock,
                "CredType=cred/munge",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool/%n"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd-%n.pid"),
                "SlurmctldLogFile=" + dir.resolve("slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("slurmd-%n.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "AccountingStorageType=accounting_storage/none",
                "JobCompType=jobcomp/none",
                "JobAcctGatherType=jobacct_gather/none",
                "SchedulerParameters=batch_sched_delay=0",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_CPU_Memory",
                "SlurmdParameters=config_overrides",
                "GresTypes=vmslot",
                "ReturnToService=2",
                "MpiDefault=none"));
        if (plugstack != null) {
            lines.add("PlugStackConfig=" + plugstack);
        }
        lines.addAll(moreConf);
        for (Node n : nodes) {
            lines.add("NodeName=" + n.name() + " NodeAddr=" + n.address() + " NodeHostname=" + n.hostname()
                    + " CPUs=4 RealMemory=8192 Features=vmgrid Gres=vmslot:4 State=UNKNOWN");
        }
        lines.addAll(List.of("PartitionName=" + PARTITION + " Nodes="
                + String.join(",", nodes.stream().map(Node::name).toList()) + " Default=YES MaxTime=INFINITE"
                + " LLN=YES State=UP", ""));
        Files.writeString(conf, String.join("\n", lines));
        Files.writeString(dir.resolve("gres.conf"), "Name=vmslot Count=4\n");
        pidFiles.add(0, dir.resolve("slurmctld.pid"));
        run("/usr/sbin/slurmctld", "-c", "-f", conf.toString());
        for (Node n : nodes) {
            pidFiles.add(0, slurmdPidFile(n.name()));
            startSlurmd(n.name());
        }
        for (Node n : nodes) {
            awaitIdleNode(n.name());
        }
    }

    private Path slurmdPidFile(String node) {
        return dir.resolve("slurmd-" + node + ".pid");
    }

    /** Starts the node's slurmd (again, after it was lost: the node then comes back to service). */
    public void startSlurmd(String node) {
        Node n = nodes.stream().filter(x -> x.name().equals(node)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + node));
        List<String> argv = new ArrayList<>(n.enter());
        argv.addAll(List.of("/usr/sbin/slurmd", "-f", conf.toString(), "-N", node));
        run(argv.toArray(String[]::new));
    }

    /** Waits, bounded, until the node is idle. */
    public void awaitIdleNode(String node) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (nodeState(node).equals("idle")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("SLURM node " + node + " did not become idle in 60 s (" + nodeState(node)
                + "); see " + dir);
    }

    /**
     * Restarts slurmctld as an admin does: SIGTERM by the PID it wrote, then a new slurmctld that
     * recovers the jobs from its state directory (no {@code -c}); waits, bounded, until it answers.
     */
    public void restartController() throws IOException, InterruptedException {
        stopByPidFile(dir.resolve("slurmctld.pid"));
        run("/usr/sbin/slurmctld", "-f", conf.toString());
        for (int i = 0; i < 300; i++) {
            if (slurm("scontrol", "ping").stdoutText().contains("is UP")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("slurmctld did not answer within 30 s of its restart; see " + dir);
    }

    /**
     * Restarts slurmd as an admin does: SIGTERM by the PID it wrote (the jobs' slurmstepd go on),
     * then a new slurmd for the node; waits, bounded, until slurmctld sees the node responding.
     */
    public void restartNode() throws IOException, InterruptedException {
        stopByPidFile(slurmdPidFile(NODE));
        startSlurmd(NODE);
        for (int i = 0; i < 300; i++) {
            String state = nodeState();
            if (!state.isEmpty() && !state.endsWith("*") && !state.startsWith("down")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the node did not respond within 30 s of slurmd's restart: " + nodeState());
    }

    /** The node's state as sinfo gives it ({@code idle}, {@code mix}, {@code alloc}, {@code drain}, ...). */
    public String nodeState() {
        return nodeState(NODE);
    }

    /** A node's state as sinfo gives it; {@code down*}: not responding. */
    public String nodeState(String node) {
        return slurm("sinfo", "-h", "-n", node, "-o", "%t").stdoutText().strip();
    }

    private void stopByPidFile(Path pidFile) throws IOException, InterruptedException {
        String pid = Files.readString(pidFile).trim();
        if (!pid.matches("[0-9]+")) {
            throw new IllegalStateException(pidFile + " holds no PID");
        }
        runner.run(Command.of(Duration.ofSeconds(10), "kill", pid));
        for (int i = 0; i < 300 && running(pid); i++) {
            Thread.sleep(100);
        }
        if (running(pid)) {
            throw new IllegalStateException("PID " + pid + " of " + pidFile + " did not stop within 30 s of SIGTERM");
        }
    }

    /**
     * Whether the PID is still one of this cluster's daemons (their command lines name this
     * directory): a daemon killed with its node left a PID file that may name another process now.
     */
    private boolean ours(String pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", pid, "cmdline"))).contains(dir.toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the process runs (a zombie has ended). */
    private static boolean running(String pid) {
        try {
            return !Files.readString(Path.of("/proc", pid, "status")).contains("State:\tZ");
        } catch (IOException e) {
            return false;
        }
    }

    /** The cluster's slurm.conf, for SLURM_CONF of clients started elsewhere. */
    public Path conf() {
        return conf;
    }

    /** Runs a SLURM client command against this cluster. */
    public CommandResult slurm(String... argv) {
        return runner.run(Command.of(Duration.ofSeconds(30), argv).withEnv(Map.of("SLURM_CONF", conf.toString())));
    }

    /** Submits a batch script; answers sbatch's result. */
    public CommandResult sbatch(Path script) {
        return slurm("sbatch", "--parsable", "-o", "/dev/null", "-e", "/dev/null", "-D", dir.toString(), script.toString());
    }

    /** Runs a SLURM client command with exactly this environment (and the cluster's SLURM_CONF). */
    public CommandResult slurmWithEnv(List<String> env, String... argv) {
        List<String> a = new ArrayList<>(List.of("env", "-i", "SLURM_CONF=" + conf));
        a.addAll(env);
        a.addAll(List.of(argv));
        return runner.run(Command.of(Duration.ofSeconds(30), a.toArray(String[]::new)));
    }

    /** One field ({@code JobState}, {@code ExitCode}, ...) of {@code scontrol show job}. */
    public String jobField(String id, String field) {
        String out = slurm("scontrol", "show", "job", id).stdoutText();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + field + "=(\\S*)").matcher(out);
        return m.find() ? m.group(1) : "";
    }

    /** Waits until the job has ended, bounded; answers its final state. */
    public String awaitEnd(String id, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            String st = jobField(id, "JobState");
            if (st.equals("COMPLETED") || st.equals("FAILED") || st.equals("CANCELLED") || st.equals("TIMEOUT")
                    || st.equals("NODE_FAIL") || st.equals("OUT_OF_MEMORY")) {
                return st;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " did not end within " + limit + "; state " + jobField(id, "JobState"));
    }

    private void run(String... argv) {
        runner.run(Command.of(Duration.ofSeconds(30), argv)).requireSuccess();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
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
        if (Files.exists(conf)) {
            slurm("scancel", "--full", "--partition=" + PARTITION);
            for (int i = 0; i < 100; i++) {
                CommandResult q = slurm("squeue", "-h", "-t", "R,CG,CF,PD", "-o", "%i");
                if (q.exitCode() != 0 || q.stdoutText().isBlank()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        for (Path pidFile : pidFiles) {
            try {
                String pid = Files.readString(pidFile).trim();
                if (pid.matches("[0-9]+") && ours(pid)) {
                    runner.run(Command.of(Duration.ofSeconds(10), "kill", pid));
                    for (int i = 0; i < 100 && Files.exists(Path.of("/proc", pid, "status"))
                            && !Files.readString(Path.of("/proc", pid, "status")).contains("State:\tZ"); i++) {
                        Thread.sleep(50);
                    }
                }
            } catch (IOException e) {
                // the daemon never started
            }
        }
    }
}
