package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.vmgrid.appliance.ApplianceBuilder;
import org.vmgrid.appliance.ApplianceSettings;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.LoopbackSlurm;
import org.vmgrid.testing.PilotService;
import org.vmgrid.testing.PrivateLibvirt;
import org.vmgrid.testing.TestSite;
import org.vmgrid.testing.Unprivileged;

/**
 * A SLURM worker node as a site runs it, for the fault tests: a private system libvirtd, the
 * repository's {@code ./vmgrid serve} as the pilot service's unprivileged account, and a loopback
 * SLURM whose slurmd loads the vmgrid SPANK plugin (built from its source with gcc) with
 * {@code service=}. Jobs are submitted as the pool account, each in its own job directory (mode
 * 0700). Every component can be faulted by PID: the service killed and started again, libvirtd,
 * slurmctld and slurmd restarted.
 */
final class SlurmVmNode implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("vmgrid.config.examples")).toAbsolutePath().normalize()
            .getParent();
    private static final Pattern JOB_STARTED = Pattern.compile(
            "^vmgrid pilot service: job (\\S+) of (\\S+): image (\\S+), workdir (.+)$", Pattern.MULTILINE);
    private static final Pattern JOB_ENDED = Pattern.compile("^vmgrid pilot service: job (\\S+) of \\S+ ended: (.*)$",
            Pattern.MULTILINE);

    final Path shared;
    final BuiltAppliance appliance;
    final PrivateLibvirt libvirt;
    final TestSite site;
    final LoopbackSlurm slurm;
    private final Path home;
    private final Path slurmDir;
    private final Path jobs;
    private PilotService service;
    /** File systems mounted for the test under {@link #shared}, unmounted when the node stops. */
    private final List<AutoCloseable> mounts;
    /** What earlier instances of the service logged (it may be killed and started again). */
    private final StringBuilder earlierLogs = new StringBuilder();

    private SlurmVmNode(Path shared, BuiltAppliance appliance, PrivateLibvirt libvirt, TestSite site, Path home,
            Path slurmDir, LoopbackSlurm slurm, List<AutoCloseable> mounts) throws IOException {
        this.slurmDir = slurmDir;
        this.mounts = mounts;
        this.shared = shared;
        this.appliance = appliance;
        this.libvirt = libvirt;
        this.site = site;
        this.home = home;
        this.slurm = slurm;
        this.jobs = Files.createDirectories(shared.resolve("jobs"));
        Files.setPosixFilePermissions(jobs, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Builds the appliance, starts libvirtd, the pilot service and SLURM with the plugin.
     *
     * @param siteLines more lines for the site's {@code pilot.properties}
     */
    static SlurmVmNode start(String name, int bootTimeout, String siteLines) throws Exception {
        return start(name, bootTimeout, siteLines, (shared, appliance) -> List.of());
    }

    /** What a test makes of the node before its daemons start. */
    @FunctionalInterface
    interface Preparation {
        /**
         * Mounts file systems under {@code shared} (the site is {@code shared/site}, job directories
         * are {@code shared/jobs/<name>}) before libvirtd starts; answers what unmounts them.
         */
        List<AutoCloseable> mount(Path shared, BuiltAppliance appliance) throws Exception;

        /** Changes the site's configuration before the pilot service first reads it. */
        default void configure(TestSite site) throws Exception {
        }
    }

    /**
     * As {@link #start(String, int, String)}, prepared: file systems mounted before libvirtd starts
     * (it runs in a mount namespace of its own, copied at its start, so only those are the ones its
     * guests see too; they are unmounted when the node stops), the site configured before the
     * service starts.
     */
    static SlurmVmNode start(String name, int bootTimeout, String siteLines, Preparation preparation) throws Exception {
        Path shared = Unprivileged.newDirectory("vmgrid-" + name + "-it");
        List<AutoCloseable> mounted = new ArrayList<>();
        PrivateLibvirt libvirt = null;
        Path slurmDir = null;
        LoopbackSlurm slurm = null;
        SlurmVmNode node = null;
        try {
            ApplianceSettings settings = ApplianceSettings.defaults(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH)
                    .withDebCache(Path.of(System.getProperty("vmgrid.deb.cache")));
            BuiltAppliance appliance = new ApplianceBuilder(new ProcessCommandRunner(), settings)
                    .build(shared.resolve("appliance"));
            mounted.addAll(preparation.mount(shared, appliance));
            Path plugin = shared.resolve("vmgrid_spank.so");
            new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(120), "gcc", "-std=c11", "-D_GNU_SOURCE",
                    "-Wall", "-Werror", "-O2", "-fPIC", "-shared", "-o", plugin.toString(),
                    System.getProperty("vmgrid.spank.source"), "-lslurm"));
            libvirt = PrivateLibvirt.start(Unprivileged.GROUP);
            TestSite site = new TestSite(Files.createDirectories(shared.resolve("site")), libvirt.uri, bootTimeout,
                    appliance.image().toUri(), appliance.uuid().toString(), appliance.size(), appliance.sha512());
            Files.writeString(site.conf.resolve("pilot.properties"), siteLines, java.nio.file.StandardOpenOption.APPEND);
            preparation.configure(site);
            Path home = Files.createDirectories(shared.resolve("home"));
            Unprivileged.own(shared);
            Path socket = home.resolve("run/pilot.sock");
            Path plugstack = shared.resolve("plugstack.conf");
            Files.writeString(plugstack, "required " + plugin + " vmgrid=" + ROOT.resolve("vmgrid") + " service="
                    + socket + "\n");
            slurmDir = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-" + name + "-slurm");
            slurm = new LoopbackSlurm(slurmDir, plugstack);
            node = new SlurmVmNode(shared, appliance, libvirt, site, home, slurmDir, slurm, mounted);
            node.startService();
            return node;
        } catch (Exception | Error e) {
            if (node != null) {
                node.close();
            } else {
                if (slurm != null) {
                    slurm.close();
                }
                if (libvirt != null) {
                    libvirt.close();
                }
                unmount(mounted);
                Unprivileged.deleteTree(slurmDir);
                Unprivileged.deleteTree(shared);
            }
            throw e;
        }
    }

    /** Starts the pilot service (again). */
    void startService() throws IOException, InterruptedException {
        if (service != null) {
            earlierLogs.append(service.log());
        }
        service = PilotService.start(ROOT.resolve("vmgrid"), site, home);
    }

    PilotService service() {
        return service;
    }

    /** Everything every instance of the service logged. */
    String serviceLog() {
        return earlierLogs + service.log();
    }

    /** A fresh job directory of the pool account, mode 0700. */
    Path jobDirectory(String name) throws IOException {
        return Unprivileged.poolJobDirectory(jobs, name);
    }

    /** The sbatch options of a VM job of the appliance (128 MiB, one CPU, no network). */
    List<String> vmOptions() {
        return vmOptions(appliance.uuid().toString());
    }

    /** The sbatch options of a VM job of an image of the site's list (128 MiB, one CPU, no network). */
    List<String> vmOptions(String image) {
        return List.of("--constraint=vmgrid", "--gres=vmslot:1", "--mem=512M", "--cpus-per-task=1",
                "--comment=vmgrid:image=" + image + ",mem=128,cpus=1,net=none");
    }

    /** Submits a VM job as the pool account in its own directory {@code name}; answers SLURM's job id. */
    Job vmJob(String name, String script, String... options) throws IOException {
        return vmJobOfImage(appliance.uuid().toString(), name, script, options);
    }

    /** As {@link #vmJob(String, String, String...)}, of another image of the site's list. */
    Job vmJobOfImage(String image, String name, String script, String... options) throws IOException {
        List<String> all = new ArrayList<>(vmOptions(image));
        all.addAll(List.of(options));
        return submit(name, script, all);
    }

    /** Submits a plain job (no VM) as the pool account in its own directory {@code name}. */
    Job plainJob(String name, String script, String... options) throws IOException {
        List<String> all = new ArrayList<>(List.of("--mem=64M"));
        all.addAll(List.of(options));
        return submit(name, script, all);
    }

    private Job submit(String name, String script, List<String> options) throws IOException {
        Path dir = jobDirectory(name);
        Path file = dir.resolve("job.sh");
        Files.writeString(file, script);
        Unprivileged.ownByPool(file);
        List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable", "--uid=" + Unprivileged.POOL,
                "--gid=" + Unprivileged.POOL_GROUP, "-J", name, "-D", dir.toString(), "-o", dir.resolve("out").toString()));
        argv.addAll(options);
        argv.add(file.toString());
        CommandResult r = slurm.slurmWithEnv(List.of("PATH=/usr/bin:/bin", "HOME=" + dir), argv.toArray(String[]::new));
        assertEquals(0, r.exitCode(), "sbatch: " + r.stderrText());
        return new Job(r.stdoutText().strip(), dir);
    }

    /** A SLURM job of this node and its job directory. */
    record Job(String id, Path dir) {

        /** What the job wrote to its output file so far. */
        String output() throws IOException {
            Path out = dir.resolve("out");
            return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        }
    }

    /** Waits until the job has ended; answers its final state. */
    String awaitEnd(Job job, Duration limit) throws InterruptedException {
        return slurm.awaitEnd(job.id(), limit);
    }

    String exitCode(Job job) {
        return slurm.jobField(job.id(), "ExitCode");
    }

    /** The pilot's job id of the job the service began in the job's directory, once it has. */
    String pilotJobOf(Job job, Duration limit) throws InterruptedException, IOException {
        String dir = job.dir().toRealPath().toString();
        awaitTrue(() -> started().stream().anyMatch(b -> b[1].equals(dir)), limit,
                () -> "the pilot service began no job in " + dir + ": " + serviceLog());
        List<String> ids = started().stream().filter(b -> b[1].equals(dir)).map(b -> b[0]).toList();
        assertEquals(1, ids.size(), "jobs the service began in " + dir + ": " + serviceLog());
        return ids.get(0);
    }

    /** (pilot job id, workdir) of every job the service began. */
    private List<String[]> started() {
        List<String[]> jobs = new ArrayList<>();
        Matcher m = JOB_STARTED.matcher(serviceLog());
        while (m.find()) {
            jobs.add(new String[] {m.group(1), m.group(4)});
        }
        return jobs;
    }

    /** What the service logged at the end of a pilot job ("exit 7", "CANCELLED: ..."). */
    Optional<String> endOf(String pilotJob) {
        Matcher m = JOB_ENDED.matcher(serviceLog());
        while (m.find()) {
            if (m.group(1).equals(pilotJob)) {
                return Optional.of(m.group(2));
            }
        }
        return Optional.empty();
    }

    /** The pilot job's accounting record, waited for (it is written after the VM's teardown). */
    String accounting(String pilotJob, Duration limit) throws InterruptedException {
        String key = "{\"job\":\"" + pilotJob + "\",";
        awaitTrue(() -> accountingLines().stream().anyMatch(l -> l.startsWith(key)), limit,
                () -> "no accounting record of job " + pilotJob + " in " + site.accounting + ": " + accountingLines());
        List<String> records = accountingLines().stream().filter(l -> l.startsWith(key)).toList();
        assertEquals(1, records.size(), "one accounting record per job: " + records);
        return records.get(0);
    }

    List<String> accountingLines() {
        try {
            return Files.exists(site.accounting) ? Files.readAllLines(site.accounting) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the job's output has a line that {@code line} matches. */
    void awaitOutput(Job job, String line, Duration limit) throws InterruptedException {
        awaitTrue(() -> {
            try {
                return job.output().lines().anyMatch(l -> l.equals(line));
            } catch (IOException e) {
                return false;
            }
        }, limit, () -> "job " + job.id() + " printed no line '" + line + "': " + diagnosis(job));
    }

    /** The job's state, output, SLURM's view of it and the node, the service's log: for assertion messages. */
    String diagnosis(Job job) {
        String out;
        try {
            out = job.output();
        } catch (IOException e) {
            out = e.toString();
        }
        return "\n--- job " + job.id() + " output:\n" + out + "\n--- scontrol:\n"
                + slurm.slurm("scontrol", "show", "job", job.id()).stdoutText() + "--- squeue:\n"
                + slurm.slurm("squeue").stdoutText() + "--- node: " + slurm.nodeState() + "\n--- pilot service log:\n"
                + serviceLog();
    }

    /** PIDs of QEMU processes of this node's VMs (their command line names the site's state directory). */
    List<Long> guestProcesses() {
        String marker = site.state.toString();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> {
                String c = cmdline(p.pid());
                return c.contains("qemu") && c.contains(marker);
            }).map(ProcessHandle::pid).toList();
        }
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The job directories (overlays, context ISOs, channel files) left in the pilot's state directory. */
    List<Path> jobFilesLeft() throws IOException {
        if (!Files.exists(site.state)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(site.state)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    /**
     * Nothing of any job is left: no domain, no QEMU process, no job files; the service runs and
     * the node is not drained; SLURM runs no job.
     */
    void assertNothingLeft(Duration limit) throws Exception {
        awaitTrue(() -> slurm.slurm("squeue", "-h", "-o", "%i").stdoutText().isBlank(), limit,
                () -> "jobs still in SLURM: " + slurm.slurm("squeue", "-h").stdoutText());
        awaitTrue(() -> {
            try {
                return libvirt.domains().isEmpty() && guestProcesses().isEmpty() && jobFilesLeft().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }, limit, () -> {
            try {
                return "left behind: domains " + libvirt.domains() + ", QEMU processes " + guestProcesses()
                        + ", job files " + jobFilesLeft() + "; service log: " + serviceLog();
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertTrue(service.isAlive(), "the pilot service went away: " + serviceLog());
        assertNotDrained();
    }

    /** The node takes jobs: not drained, not down. */
    void assertNotDrained() {
        String state = slurm.nodeState();
        assertFalse(state.startsWith("drain") || state.startsWith("drng") || state.startsWith("down")
                || state.endsWith("*"), "the node is " + state + ": " + slurm.slurm("sinfo", "-R").stdoutText());
    }

    static void awaitTrue(BooleanSupplier condition, Duration bound, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("after " + bound.toSeconds() + " s: " + what.get());
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            slurm.close();
        } finally {
            try {
                if (service != null) {
                    service.close();
                }
            } finally {
                try {
                    libvirt.close();
                } finally {
                    unmount(mounts);
                    Unprivileged.deleteTree(slurmDir);
                    Unprivileged.deleteTree(shared);
                }
            }
        }
    }

    private static void unmount(List<AutoCloseable> mounts) throws Exception {
        for (int i = mounts.size() - 1; i >= 0; i--) {
            mounts.get(i).close();
        }
    }
}
