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
 * A single-node SLURM on loopback in a private directory: munged (as user munge, own key and
 * socket), slurmctld and slurmd. The node offers feature {@code vmgrid} and the counting GRES
 * {@code vmslot:4}; optionally its slurmd loads the SPANK plugins of a given {@code plugstack.conf}.
 * {@link #close} cancels every job, waits until none runs, then stops the three
 * daemons by the PIDs they wrote.
 */
public final class LoopbackSlurm implements AutoCloseable {

    public static final String NODE = "vmgridnode";
    /** The one partition, holding the node; the default. */
    public static final String PARTITION = "grid";

    private final Path dir;
    private final Path conf;
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
        this.dir = dir;
        this.plugstack = plugstack;
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
        Files.createDirectories(dir.resolve("spool"));
        List<String> lines = new ArrayList<>(List.of(
                "ClusterName=vmgridtest",
                "SlurmctldHost=localhost(127.0.0.1)",
                "SlurmctldPort=" + ctldPort,
                "SlurmdPort=" + slurmdPort,
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "AuthInfo=socket=" + sock,
                "CredType=cred/munge",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("slurmd.log"),
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
        lines.addAll(List.of(
                "NodeName=" + NODE + " NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=4 RealMemory=8192"
                        + " Features=vmgrid Gres=vmslot:4 State=UNKNOWN",
                "PartitionName=" + PARTITION + " Nodes=" + NODE + " Default=YES MaxTime=INFINITE State=UP", ""));
        Files.writeString(conf, String.join("\n", lines));
        Files.writeString(dir.resolve("gres.conf"), "Name=vmslot Count=4\n");
        pidFiles.add(0, dir.resolve("slurmctld.pid"));
        pidFiles.add(0, dir.resolve("slurmd.pid"));
        run("/usr/sbin/slurmctld", "-c", "-f", conf.toString());
        run("/usr/sbin/slurmd", "-f", conf.toString(), "-N", NODE);
        awaitIdleNode();
    }

    private void awaitIdleNode() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            CommandResult r = slurm("sinfo", "-h", "-n", NODE, "-o", "%t");
            if (r.exitCode() == 0 && r.stdoutText().trim().equals("idle")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the loopback SLURM node did not become idle in 30 s; see " + dir);
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
        stopByPidFile(dir.resolve("slurmd.pid"));
        run("/usr/sbin/slurmd", "-f", conf.toString(), "-N", NODE);
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
        return slurm("sinfo", "-h", "-n", NODE, "-o", "%t").stdoutText().strip();
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
                if (pid.matches("[0-9]+")) {
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
