package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.vmgrid.appliance.ApplianceBuilder;
import org.vmgrid.appliance.ApplianceSettings;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.LoopbackSlurm;
import org.vmgrid.testing.NodeLan;
import org.vmgrid.testing.NodeNamespace;
import org.vmgrid.testing.PilotService;
import org.vmgrid.testing.PrivateLibvirt;
import org.vmgrid.testing.TestSite;
import org.vmgrid.testing.Unprivileged;

/**
 * A SLURM worker node as a site runs it, for the fault tests, or a cluster of several: on each node
 * a private system libvirtd, the repository's {@code ./vmgrid serve} as the pilot service's
 * unprivileged account ({@link PilotHost}), and the slurmd of a SLURM whose slurmds load the vmgrid
 * SPANK plugin (built from its source with gcc) with {@code service=} that node's service. Several
 * nodes each get network, mount and UTS namespaces of their own ({@link NodeNamespace}) on a bridge
 * to this machine, where slurmctld runs; each node sees its own {@code plugstack.conf} at the path
 * slurm.conf gives, as each real node has its own {@code /etc/slurm}. Jobs are submitted as the pool
 * account, each in its own job directory (mode 0700). Every component can be faulted by PID: the
 * service killed and started again, libvirtd, slurmctld and slurmd restarted, a whole node's power
 * lost. The single-node accessors ({@link #libvirt}, {@link #site}, {@link #service()}, ...) are the
 * first node's.
 */
final class SlurmVmNode implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("vmgrid.config.examples")).toAbsolutePath().normalize()
            .getParent();
    /**
     * A payload that says it runs ({@code booted}), waits for the test's word ({@link Job#go()}),
     * then writes {@code after.txt}, says {@code done} and exits 4.
     */
    static final String WAITS_FOR_GO = "#!/bin/sh\necho booted\nwhile [ ! -e go ]; do sleep 1; done\n"
            + "echo after > after.txt\necho done\nexit 4\n";

    final Path shared;
    final BuiltAppliance appliance;
    /** The first node's. */
    final PrivateLibvirt libvirt;
    /** The first node's. */
    final TestSite site;
    final LoopbackSlurm slurm;
    /** Every node, in the order of their names. */
    final List<PilotHost> hosts;
    private final Optional<NodeLan> lan;
    /** File systems mounted for the test under {@link #shared}, unmounted when the node stops. */
    private final List<AutoCloseable> mounts;
    private final Path slurmDir;
    private final Path jobs;

    private SlurmVmNode(Path shared, BuiltAppliance appliance, List<PilotHost> hosts, Optional<NodeLan> lan,
            List<AutoCloseable> mounts, Path slurmDir, LoopbackSlurm slurm) throws IOException {
        this.slurmDir = slurmDir;
        this.mounts = List.copyOf(mounts);
        this.shared = shared;
        this.appliance = appliance;
        this.hosts = List.copyOf(hosts);
        this.libvirt = hosts.get(0).libvirt;
        this.site = hosts.get(0).site;
        this.lan = lan;
        this.slurm = slurm;
        this.jobs = Files.createDirectories(shared.resolve("jobs"));
        Files.setPosixFilePermissions(jobs, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Builds the appliance, starts libvirtd, the pilot service and a one-node SLURM with the plugin,
     * all on this machine.
     *
     * @param siteLines more lines for the site's {@code pilot.properties}
     */
    static SlurmVmNode start(String name, int bootTimeout, String siteLines) throws Exception {
        return start(name, bootTimeout, siteLines, 0, List.of(), Preparation.NONE);
    }

    /** What a test makes of a one-node site before its daemons start. */
    interface Preparation {

        /** Nothing: the node as {@link #start(String, int, String)} makes it. */
        Preparation NONE = new Preparation() {
        };

        /**
         * Mounts file systems under {@code shared} (the site is {@code shared/node/site}, job
         * directories are {@code shared/jobs/<name>}) before libvirtd starts; answers what unmounts them.
         */
        default List<AutoCloseable> mount(Path shared, BuiltAppliance appliance) throws Exception {
            return List.of();
        }

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
        return start(name, bootTimeout, siteLines, 0, List.of(), preparation);
    }

    /**
     * Builds the appliance and starts a cluster of {@code count} nodes {@code <name>1...}, each in
     * namespaces of its own with its libvirtd, pilot service and slurmd.
     *
     * @param slurmLines more lines for slurm.conf
     */
    static SlurmVmNode startCluster(String name, int bootTimeout, String siteLines, int count, List<String> slurmLines)
            throws Exception {
        return start(name, bootTimeout, siteLines, count, slurmLines, Preparation.NONE);
    }

    /** {@code count} 0: one node, this machine. */
    private static SlurmVmNode start(String name, int bootTimeout, String siteLines, int count, List<String> slurmLines,
            Preparation preparation) throws Exception {
        Path shared = Unprivileged.newDirectory("vmgrid-" + name + "-it");
        List<AutoCloseable> started = new ArrayList<>();
        List<AutoCloseable> mounts = new ArrayList<>();
        Path slurmDir = null;
        try {
            ApplianceSettings settings = ApplianceSettings.defaults(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH)
                    .withDebCache(Path.of(System.getProperty("vmgrid.deb.cache")));
            BuiltAppliance appliance = new ApplianceBuilder(new ProcessCommandRunner(), settings)
                    .build(shared.resolve("appliance"));
            mounts.addAll(preparation.mount(shared, appliance));
            started.addAll(mounts);
            Path plugin = shared.resolve("vmgrid_spank.so");
            new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(120), "gcc", "-std=c11", "-D_GNU_SOURCE",
                    "-Wall", "-Werror", "-O2", "-fPIC", "-shared", "-o", plugin.toString(),
                    System.getProperty("vmgrid.spank.source"), "-lslurm"));
            String pluginLine = "required " + plugin + " vmgrid=" + ROOT.resolve("vmgrid");
            Path plugstack = shared.resolve("plugstack.conf");
            List<PilotHost> hosts = new ArrayList<>();
            Optional<NodeLan> lan = Optional.empty();
            List<LoopbackSlurm.Node> nodes = new ArrayList<>();
            if (count == 0) {
                Path dir = Files.createDirectories(shared.resolve("node"));
                Unprivileged.own(dir);
                hosts.add(PilotHost.start(LoopbackSlurm.NODE, dir, Optional.empty(), appliance, bootTimeout, siteLines,
                        preparation::configure));
                started.add(hosts.get(0));
                Files.writeString(plugstack, pluginLine + " service=" + PilotHost.socket(dir) + "\n");
            } else {
                // where no slurmd runs (sbatch reads it): the plugin, no service
                Files.writeString(plugstack, pluginLine + "\n");
                lan = Optional.of(NodeLan.start());
                started.add(lan.get());
                for (int i = 1; i <= count; i++) {
                    String nodeName = name + i;
                    Path dir = Files.createDirectories(shared.resolve(nodeName));
                    Path own = Files.writeString(dir.resolve("plugstack.conf"),
                            pluginLine + " service=" + PilotHost.socket(dir) + "\n");
                    Unprivileged.own(dir);
                    NodeNamespace ns = lan.get().node(nodeName, Map.of(plugstack, own));
                    started.add(ns);
                    PilotHost host = PilotHost.start(nodeName, dir, Optional.of(ns), appliance, bootTimeout, siteLines);
                    started.add(host);
                    hosts.add(host);
                    nodes.add(new LoopbackSlurm.Node(nodeName, ns.address(), ns.hostname(), ns.enter()));
                }
            }
            slurmDir = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-" + name + "-slurm");
            LoopbackSlurm slurm = count == 0 ? new LoopbackSlurm(slurmDir, plugstack)
                    : new LoopbackSlurm(slurmDir, plugstack, lan.orElseThrow().rootAddress(), nodes, slurmLines);
            return new SlurmVmNode(shared, appliance, hosts, lan, mounts, slurmDir, slurm);
        } catch (Exception | Error e) {
            closeAll(started);
            Unprivileged.deleteTree(slurmDir);
            Unprivileged.deleteTree(shared);
            throw e;
        }
    }

    /** Closes in the reverse order of their start, every one whatever the others do. */
    private static void closeAll(List<AutoCloseable> started) throws Exception {
        Exception first = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            AutoCloseable c = started.get(i);
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Starts the first node's pilot service again. */
    void startService() throws IOException, InterruptedException {
        hosts.get(0).startService();
    }

    PilotService service() {
        return hosts.get(0).service();
    }

    /** Everything every instance of the first node's service logged. */
    String serviceLog() {
        return hosts.get(0).serviceLog();
    }

    /** The node whose pilot service began the job, once one has. */
    PilotHost hostOf(Job job, Duration limit) throws InterruptedException {
        awaitTrue(() -> hosts.stream().anyMatch(h -> began(h, job)), limit,
                () -> "no pilot service began job " + job.id() + ": " + diagnosis(job));
        return hosts.stream().filter(h -> began(h, job)).findFirst().orElseThrow();
    }

    private static boolean began(PilotHost h, Job job) {
        try {
            return h.began(job.dir());
        } catch (IOException e) {
            return false;
        }
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

    /**
     * Makes the site's image list the appliance and these images; the
     * service reads the list again at each job's start.
     */
    void listImages(TestSite.ListedImage... more) throws IOException {
        List<TestSite.ListedImage> images = new ArrayList<>(List.of(new TestSite.ListedImage(appliance.uuid().toString(),
                appliance.image().toUri(), appliance.size(), appliance.sha512(), "qcow2")));
        images.addAll(List.of(more));
        Files.writeString(site.conf.resolve("imagelist.json"), TestSite.imageList(java.util.UUID.randomUUID().toString(),
                java.time.Instant.parse("2036-01-01T00:00:00Z"), images));
    }

    /**
     * Stops the pilot service (SIGTERM by PID) and starts it again with {@code boot.timeout} set to
     * that many seconds, as a site does after changing {@code pilot.properties}.
     */
    void restartService(int bootTimeout) throws IOException, InterruptedException {
        Path properties = site.conf.resolve("pilot.properties");
        Files.writeString(properties, Files.readString(properties).replaceFirst("(?m)^boot\\.timeout = \\d+$",
                "boot.timeout = " + bootTimeout));
        service().close();
        startService();
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

        /** Tells a payload {@link #WAITS_FOR_GO} to go on (a file in its job directory). */
        void go() throws IOException {
            Unprivileged.ownByPool(Files.writeString(dir.resolve("go"), ""));
        }

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

    /** The pilot's job id of the job the first node's service began in the job's directory, once it has. */
    String pilotJobOf(Job job, Duration limit) throws InterruptedException, IOException {
        return hosts.get(0).pilotJobOf(job.dir(), limit);
    }

    /** What the first node's service logged at the end of a pilot job ("exit 7", "CANCELLED: ..."). */
    Optional<String> endOf(String pilotJob) {
        return hosts.get(0).endOf(pilotJob);
    }

    /** The pilot job's accounting record on the first node, waited for. */
    String accounting(String pilotJob, Duration limit) throws InterruptedException {
        return hosts.get(0).accounting(pilotJob, limit);
    }

    List<String> accountingLines() {
        return hosts.get(0).accountingLines();
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

    /** The job's state, output, SLURM's view of it and the nodes, the services' logs: for assertion messages. */
    String diagnosis(Job job) {
        String out;
        try {
            out = job.output();
        } catch (IOException e) {
            out = e.toString();
        }
        StringBuilder d = new StringBuilder("\n--- job " + job.id() + " output:\n" + out + "\n--- scontrol:\n"
                + slurm.slurm("scontrol", "show", "job", job.id()).stdoutText() + "--- squeue:\n"
                + slurm.slurm("squeue").stdoutText());
        for (PilotHost h : hosts) {
            d.append("--- node ").append(h.name).append(": ").append(slurm.nodeState(h.name))
                    .append("\n--- its pilot service's log:\n").append(h.serviceLog());
        }
        return d.toString();
    }

    /** PIDs of QEMU processes of the first node's VMs. */
    List<Long> guestProcesses() {
        return hosts.get(0).guestProcesses();
    }

    /** The job directories left in the first node's pilot state directory. */
    List<Path> jobFilesLeft() throws IOException {
        return hosts.get(0).jobFilesLeft();
    }

    /**
     * Nothing of any job is left on any node: no domain, no QEMU process, no job files; every
     * service runs and no node is drained; SLURM runs no job.
     */
    void assertNothingLeft(Duration limit) throws Exception {
        awaitTrue(() -> slurm.slurm("squeue", "-h", "-o", "%i").stdoutText().isBlank(), limit,
                () -> "jobs still in SLURM: " + slurm.slurm("squeue", "-h").stdoutText());
        for (PilotHost h : hosts) {
            h.assertNothingLeft(limit);
        }
        assertNotDrained();
    }

    /** Every node takes jobs: not drained, not down. */
    void assertNotDrained() {
        for (PilotHost h : hosts) {
            String state = slurm.nodeState(h.name);
            assertFalse(state.startsWith("drain") || state.startsWith("drng") || state.startsWith("down")
                    || state.endsWith("*"), "node " + h.name + " is " + state + ": " + slurm.slurm("sinfo", "-R").stdoutText());
        }
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
        List<AutoCloseable> all = new ArrayList<>(mounts); // closed last: after every libvirtd
        lan.ifPresent(all::add);
        for (PilotHost h : hosts) {
            h.namespace.ifPresent(all::add);
            all.add(h);
        }
        all.add(slurm);
        try {
            closeAll(all);
        } finally {
            Unprivileged.deleteTree(slurmDir);
            Unprivileged.deleteTree(shared);
        }
    }
}
