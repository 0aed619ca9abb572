package org.vmgrid.arcitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmgrid.appliance.ApplianceBuilder;
import org.vmgrid.appliance.ApplianceSettings;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.ArcClient;
import org.vmgrid.testing.CapturedProcess;
import org.vmgrid.testing.ExampleSite;
import org.vmgrid.testing.LoopbackArc;
import org.vmgrid.testing.LoopbackSlurm;
import org.vmgrid.testing.PilotService;
import org.vmgrid.testing.PrivateLibvirt;
import org.vmgrid.testing.TestSite;
import org.vmgrid.testing.Unprivileged;

/**
 * An ARC site with vmgrid installed as docs/install-arc.md says: A-REX and its LDAP infosys on
 * loopback with the loopback SLURM, vmgrid's state callout in arc.conf (answered by the CE's
 * resident service, {@code vmgrid serve} as root with its own configuration), its runtime environments
 * written and enabled by {@code vmgrid arc rte sync}, its GIP provider and plugin in bdii-update's
 * directories, and a worker node whose pilot service ({@code vmgrid serve}, as {@link Unprivileged#USER})
 * boots the project's appliance in a private system libvirtd. Every grid user is mapped to the pool
 * account {@link Unprivileged#POOL}, another user than the pilot service's: ARC makes its session
 * directories 0700, and the job's QEMU runs as the job's user. A client ({@code nobody}) with a proxy.
 * {@link #close} stops everything by PID and removes every directory.
 */
public final class ArcVmSite implements AutoCloseable {

    /**
     * The SPANK plugins of the worker node's slurmd, if any: given the site with its pilot service
     * running, answers the {@code plugstack.conf} the loopback SLURM is to start with.
     */
    @FunctionalInterface
    public interface NodePlugins {
        Path plugstack(ArcVmSite site) throws Exception;
    }

    public static final Path ROOT = Path.of(System.getProperty("vmgrid.root")).toAbsolutePath().normalize();
    public static final Path VMGRID = ROOT.resolve("vmgrid");
    public static final Path DIST = ROOT.resolve("bundles/runtime/target/vmgrid");
    /** An alias ending in -<digit>: ARC's client splits such names into name and version (ADL), A-REX joins them. */
    public static final String ALIAS = "debian-12";
    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();

    public final Path shared;
    public BuiltAppliance appliance;
    public PrivateLibvirt libvirt;
    public TestSite site;
    public PilotService pilot;
    /** The CE's vmgrid configuration: the site's, without the worker node's pilot service. */
    public Path ceConf;
    public CapturedProcess ceService;
    public Path calloutSocket;
    public Path slurmDir;
    public LoopbackSlurm slurm;
    public LoopbackArc arc;
    public ArcClient client;

    private ArcVmSite(Path shared) {
        this.shared = shared;
    }

    public static ArcVmSite start() throws Exception {
        return start(site -> null);
    }

    /** As {@link #start()}, the worker node's slurmd loading the plugins {@code plugins} lists. */
    public static ArcVmSite start(NodePlugins plugins) throws Exception {
        assertTrue(Files.isRegularFile(DIST.resolve("lib/vmgrid-cli.jar")), "no distribution at " + DIST
                + ": assemble it first (mvn package -pl bundles/runtime -am)");
        ArcVmSite s = new ArcVmSite(Unprivileged.newDirectory("vmgrid-arc-it"));
        try {
            s.bringUp(plugins);
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    private void bringUp(NodePlugins plugins) throws Exception {
        ApplianceSettings settings = ApplianceSettings.defaults(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH)
                .withDebCache(Path.of(System.getProperty("vmgrid.deb.cache")));
        appliance = new ApplianceBuilder(RUN, settings).build(shared.resolve("appliance"));
        libvirt = PrivateLibvirt.start(Unprivileged.GROUP);
        site = new TestSite(Files.createDirectories(shared.resolve("site")), libvirt.uri, 300, appliance.image().toUri(),
                appliance.uuid().toString(), appliance.size(), appliance.sha512());
        Files.writeString(site.conf.resolve("images.properties"), "alias." + ALIAS + " = " + appliance.uuid() + "\n",
                StandardOpenOption.APPEND);
        pilot = PilotService.start(VMGRID, site, Files.createDirectories(shared.resolve("pilot")));

        slurmDir = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-arc-slurm");
        slurm = new LoopbackSlurm(slurmDir, plugins.plugstack(this));
        ceConf = ExampleSite.copy(site.conf, shared.resolve("ce-conf"));
        Files.write(ceConf.resolve("pilot.properties"), Files.readAllLines(ceConf.resolve("pilot.properties")).stream()
                .filter(l -> !l.startsWith("service.socket")).toList());
        calloutSocket = shared.resolve("ce-run/callout.sock");
        startCeService();
        String callout = "PREPARING timeout=120,onsuccess=pass,onfailure=fail,ontimeout=fail /bin/sh "
                + DIST.resolve("arc/vmgrid-arc-statecallout") + " %C %I --service " + calloutSocket + " --vmgrid " + VMGRID
                + " --config-dir " + ceConf;
        arc = LoopbackArc.start(Files.createTempDirectory(Path.of("/tmp"), "vmgrid-arc-ce"), slurm,
                Unprivileged.POOL + ":" + Unprivileged.POOL_GROUP, Optional.of(callout));
        // the CE as vmgrid's configuration names it: ARC's hostname and REST port
        Files.writeString(ceConf.resolve("site.properties"), "site.name = VMGRID-IT\nce.host = localhost\nce.port = "
                + arc.settings().wsPort() + "\nlrms = slurm\n");
        installGip(arc.settings().bdiiTmp().resolve("provider/vmgrid-arc"), "vmgrid-arc-info-provider");
        installGip(arc.settings().bdiiTmp().resolve("plugin/vmgrid-arc"), "vmgrid-arc-info-plugin");
        CommandResult sync = vmgrid("arc", "rte", "sync", "--config-dir", ceConf.toString(), "--arc-config",
                arc.settings().arcConf().toString(), "--arcctl", arc.arcctl().toString(), "--vmgrid", VMGRID.toString(),
                "--pilot-socket", pilot.socket().toString());
        assertEquals(0, sync.exitCode(), sync.stdoutText() + sync.stderrText());
        arc.awaitPublished("ENV/VMGRID", Duration.ofMinutes(1));
        client = ArcClient.withProxy(arc, Files.createTempDirectory(Path.of("/tmp"), "vmgrid-arc-client"), "nobody",
                "nogroup");
    }

    /** A provider or plugin for bdii-update (which runs it as openldap): the distribution's script with the site's settings. */
    private void installGip(Path file, String script) throws IOException {
        Path cache = Files.createDirectories(shared.resolve("info-cache"));
        RUN.runChecked(Command.of(Duration.ofSeconds(10), "chown", "openldap", cache.toString()));
        Files.writeString(file, "#!/bin/sh\nVMGRID='" + VMGRID + "'\nVMGRID_CONF_DIR='" + ceConf + "'\n"
                + "VMGRID_INFO_CACHE='" + cache.resolve("arc.ldif") + "'\nexport VMGRID VMGRID_CONF_DIR VMGRID_INFO_CACHE\n"
                + "exec /bin/sh '" + DIST.resolve("arc/" + script) + "'\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The CE's vmgrid runtime, as root: here only its state callout service. */
    private void startCeService() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(VMGRID.toString(), "serve", "--config-dir", ceConf.toString(), "--storage",
                shared.resolve("ce-felix").toString()).directory(ROOT.toFile());
        pb.environment().put("VMGRID_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss4m -XX:-UsePerfData "
                + "-Dvmgrid.arc.callout.socket=" + calloutSocket);
        ceService = CapturedProcess.start(pb);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!ceService.stderr().contains("vmgrid ARC state callout service: deciding jobs on " + calloutSocket)) {
            assertTrue(ceService.isAlive() && System.nanoTime() < deadline, "the CE's vmgrid serve did not start its "
                    + "state callout service: " + ceService.output());
            Thread.sleep(100);
        }
    }

    /** The repository's vmgrid command, as root (a site admin on the CE). */
    public static CommandResult vmgrid(String... args) {
        List<String> argv = new ArrayList<>(List.of(VMGRID.toString()));
        argv.addAll(List.of(args));
        return RUN.run(Command.of(Duration.ofMinutes(3), argv));
    }

    /** How many jobs the pilot service has begun. */
    public int pilotJobs() {
        return (int) pilot.log().lines().filter(l -> l.matches("vmgrid pilot service: job \\S+ of \\S+: image .*")).count();
    }

    @Override
    public void close() throws Exception {
        try {
            if (arc != null) {
                arc.close();
            }
        } finally {
            try {
                if (ceService != null) {
                    ceService.stop();
                }
                if (slurm != null) {
                    slurm.close();
                }
            } finally {
                try {
                    if (pilot != null) {
                        pilot.close();
                    }
                } finally {
                    try {
                        if (libvirt != null) {
                            libvirt.close();
                        }
                    } finally {
                        Unprivileged.deleteTree(slurmDir);
                        Unprivileged.deleteTree(shared);
                        if (client != null) {
                            Unprivileged.deleteTree(client.home());
                        }
                    }
                }
            }
        }
    }
}
