package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.testing.NodeNamespace;
import org.vmgrid.testing.PilotService;
import org.vmgrid.testing.PrivateLibvirt;
import org.vmgrid.testing.TestSite;
import org.vmgrid.testing.Unprivileged;

/**
 * The vmgrid side of one worker node, as a site runs it on each node: a private system libvirtd,
 * the node's own site configuration (image list, image cache, state directory, accounting file) and
 * its pilot service ({@code ./vmgrid serve} as the unprivileged account), all in the node's
 * namespaces when it has them. The service can be killed and started again; the whole node can
 * lose its power and come back.
 */
final class PilotHost implements AutoCloseable {

    private static final Pattern JOB_STARTED = Pattern.compile(
            "^vmgrid pilot service: job (\\S+) of (\\S+): image (\\S+), workdir (.+)$", Pattern.MULTILINE);
    private static final Pattern JOB_ENDED = Pattern.compile("^vmgrid pilot service: job (\\S+) of \\S+ ended: (.*)$",
            Pattern.MULTILINE);

    /** The node's name in the batch system. */
    final String name;
    final PrivateLibvirt libvirt;
    final TestSite site;
    /** The node's namespaces; empty: the node is this machine. */
    final Optional<NodeNamespace> namespace;
    private final Path home;
    private PilotService service;
    /** What earlier instances of the service logged (it may be killed and started again). */
    private final StringBuilder earlierLogs = new StringBuilder();

    private PilotHost(String name, PrivateLibvirt libvirt, TestSite site, Optional<NodeNamespace> namespace, Path home) {
        this.name = name;
        this.libvirt = libvirt;
        this.site = site;
        this.namespace = namespace;
        this.home = home;
    }

    /**
     * Starts the node's libvirtd and pilot service with a site configuration in {@code dir} (the
     * unprivileged account's) whose one image is the appliance.
     *
     * @param siteLines more lines for the site's {@code pilot.properties}
     */
    static PilotHost start(String name, Path dir, Optional<NodeNamespace> namespace, BuiltAppliance appliance,
            int bootTimeout, String siteLines) throws Exception {
        return start(name, dir, namespace, appliance, bootTimeout, siteLines, site -> {
        });
    }

    /** What a test changes in a node's site configuration before its pilot service first reads it. */
    interface SiteSetup {
        void configure(TestSite site) throws Exception;
    }

    /** As {@link #start(String, Path, Optional, BuiltAppliance, int, String)}, the site set up by {@code setup}. */
    static PilotHost start(String name, Path dir, Optional<NodeNamespace> namespace, BuiltAppliance appliance,
            int bootTimeout, String siteLines, SiteSetup setup) throws Exception {
        PrivateLibvirt libvirt = PrivateLibvirt.start(Unprivileged.GROUP,
                namespace.map(NodeNamespace::enter).orElse(List.of()));
        PilotHost host = null;
        try {
            TestSite site = new TestSite(Files.createDirectories(dir.resolve("site")), libvirt.uri, bootTimeout,
                    appliance.image().toUri(), appliance.uuid().toString(), appliance.size(), appliance.sha512());
            Files.writeString(site.conf.resolve("pilot.properties"), siteLines, StandardOpenOption.APPEND);
            setup.configure(site);
            Unprivileged.own(site.root); // what the setup wrote is the service account's, as the rest of the site
            host = new PilotHost(name, libvirt, site, namespace, Files.createDirectories(dir.resolve("home")));
            host.startService();
            return host;
        } catch (Exception e) {
            if (host != null) {
                host.close();
            } else {
                libvirt.close();
            }
            throw e;
        }
    }

    /** Where the node's service takes jobs (for its SPANK plugin's {@code service=}). */
    static Path socket(Path dir) {
        return dir.resolve("home/run/pilot.sock");
    }

    /** Starts the pilot service (again). */
    void startService() throws IOException, InterruptedException {
        if (service != null) {
            earlierLogs.append(service.log());
        }
        service = PilotService.start(SlurmVmNode.ROOT.resolve("vmgrid"), site, home,
                namespace.map(NodeNamespace::enter).orElse(List.of()));
    }

    PilotService service() {
        return service;
    }

    /** Everything every instance of the service logged. */
    String serviceLog() {
        return earlierLogs + service.log();
    }

    /**
     * The power goes: every process of the node (slurmd and the jobs' slurmstepd, libvirtd, QEMU, the
     * pilot service) killed with SIGKILL by PID at once, and its link down. Answers the PIDs killed.
     */
    List<Long> powerOff() throws InterruptedException {
        return namespace.orElseThrow(() -> new IllegalStateException("node " + name + " has no namespaces of its own"))
                .powerOff();
    }

    /** The power comes back: link up, libvirtd and the pilot service started again (the batch system's daemon is the caller's). */
    void powerOn() throws IOException, InterruptedException {
        namespace.orElseThrow().powerOn();
        libvirt.startAgain();
        startService();
    }

    /** Whether the service began a job in this job directory. */
    boolean began(Path jobDir) throws IOException {
        String dir = jobDir.toRealPath().toString();
        return started().stream().anyMatch(b -> b[1].equals(dir));
    }

    /** The pilot's job id of the job the service began in the job directory, once it has. */
    String pilotJobOf(Path jobDir, Duration limit) throws InterruptedException, IOException {
        String dir = jobDir.toRealPath().toString();
        SlurmVmNode.awaitTrue(() -> started().stream().anyMatch(b -> b[1].equals(dir)), limit,
                () -> "the pilot service of " + name + " began no job in " + dir + ": " + serviceLog());
        List<String> ids = started().stream().filter(b -> b[1].equals(dir)).map(b -> b[0]).toList();
        assertEquals(1, ids.size(), "jobs the service of " + name + " began in " + dir + ": " + serviceLog());
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
        SlurmVmNode.awaitTrue(() -> accountingLines().stream().anyMatch(l -> l.startsWith(key)), limit,
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

    /** No domain, no QEMU process, no job files of this node, waited for; its service runs. */
    void assertNothingLeft(Duration limit) throws InterruptedException {
        SlurmVmNode.awaitTrue(() -> {
            try {
                return libvirt.domains().isEmpty() && guestProcesses().isEmpty() && jobFilesLeft().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }, limit, () -> {
            try {
                return "left behind on " + name + ": domains " + libvirt.domains() + ", QEMU processes "
                        + guestProcesses() + ", job files " + jobFilesLeft() + "; service log: " + serviceLog();
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertTrue(service.isAlive(), "the pilot service of " + name + " went away: " + serviceLog());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            libvirt.close();
        }
    }
}
