package org.vmgrid.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import org.vmgrid.arcitests.ArcVmSite;
import org.vmgrid.blahservice.BlahHookHarness;
import org.vmgrid.blahservice.HookAdmission;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.cream.EmbeddedCream;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.testing.Unprivileged;

/**
 * One VM-capable grid site on loopback, composed of the integration tests' fixtures: the ARC site of
 * {@link ArcVmSite} (the project's appliance and its image list, a private system libvirtd, the
 * worker node's pilot service, SLURM, A-REX with vmgrid's state callout, runtime environments and
 * its LDAP infosys, a site BDII fed by vmgrid's provider, an ARC client with a proxy), whose slurmd
 * here also loads vmgrid's SPANK plugin with vmgrid's customization of CREAM's job wrapper; and the
 * CREAM path as far as it is real here: vmgrid's Axis2 module engaged in an Axis2 server before the
 * CREAM2 JobRegister stand-in ({@link EmbeddedCream}), and BLAH's SLURM hook answered by the CE's
 * hook service ({@link BlahHookHarness}), both with the CE's configuration. {@link #close} stops
 * everything by PID and removes every directory.
 */
final class DemoSite implements AutoCloseable {

    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();

    ArcVmSite arc;
    /** root's, 0755: the node's GLITE_LOCAL_CUSTOMIZATION_DIR, BLAH's hooks, the CREAM CE's own files. */
    Path rootOwned;
    Path customization;
    /** The pool account's job directory for CREAM jobs (BLAH makes each job's home in it). */
    Path poolWork;
    EmbeddedCream cream;
    BlahHookHarness blah;
    private boolean closed;

    static DemoSite start() throws Exception {
        DemoSite s = new DemoSite();
        try {
            s.rootOwned = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-demo-ce");
            Files.setPosixFilePermissions(s.rootOwned, PosixFilePermissions.fromString("rwxr-xr-x"));
            s.arc = ArcVmSite.start(s::workerNodePlugins);
            s.startCreamCe();
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    /**
     * The worker node as docs/worker-node.md and docs/install-cream.md set it up: vmgrid's SPANK
     * plugin (built from its source) naming the vmgrid command, the pilot service's socket and the
     * directory where {@code vmgrid cream install-customization} put vmgrid's cp_1.sh and cp_2.sh.
     */
    private Path workerNodePlugins(ArcVmSite site) throws Exception {
        Path plugin = site.shared.resolve("vmgrid_spank.so");
        RUN.runChecked(Command.of(Duration.ofMinutes(2), "gcc", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Werror", "-O2",
                "-fPIC", "-shared", "-o", plugin.toString(),
                ArcVmSite.ROOT.resolve("batch-hooks/src/main/c/vmgrid_spank.c").toString(), "-lslurm"));
        // the node's vmgrid command: the distribution's, with the node's configuration
        Path launcher = site.shared.resolve("vmgrid-node");
        Files.writeString(launcher, "#!/bin/sh\nVMGRID_CONF_DIR='" + site.site.conf + "' exec '" + ArcVmSite.VMGRID
                + "' \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        customization = Files.createDirectories(rootOwned.resolve("customization"));
        CommandResult install = ArcVmSite.vmgrid("cream", "install-customization", "--config-dir",
                site.site.conf.toString(), "--dir", customization.toString(), "--launcher", launcher.toString());
        if (install.exitCode() != 0) {
            throw new IllegalStateException("vmgrid cream install-customization failed: " + install.stderrText());
        }
        poolWork = Unprivileged.poolJobDirectory(site.shared, "cream-work");
        // BLAH makes its home for the job in the job's working directory: the service must search it
        Files.setPosixFilePermissions(poolWork, PosixFilePermissions.fromString("rwx--x--x"));
        Path plugstack = site.shared.resolve("plugstack.conf");
        Files.writeString(plugstack, "required " + plugin + " vmgrid=" + launcher + " service=" + site.pilot.socket()
                + " cream=" + customization + "\n");
        return plugstack;
    }

    /** The CREAM CE's side: the Axis2 engine with vmgrid.mar, and BLAH's hooks with their service. */
    private void startCreamCe() throws Exception {
        System.setProperty("vmgrid.mar", ArcVmSite.ROOT.resolve("ce-plugin/cream-module/target/vmgrid-cream-module.mar")
                .toString());
        cream = new EmbeddedCream(Files.createDirectories(rootOwned.resolve("cream")), arc.ceConf);
        SiteConfig config = SiteConfig.load(arc.ceConf);
        blah = new BlahHookHarness(Files.createDirectories(rootOwned.resolve("blah")), HookAdmission.forSite(config,
                new CatalogLoader(Clock.systemUTC()).load(CatalogSources.from(config.images())), Clock.systemUTC()));
    }

    /** Stops everything by PID, removes every directory; once. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (cream != null) {
                cream.close();
            }
            if (blah != null) {
                blah.close();
            }
        } finally {
            try {
                if (arc != null) {
                    arc.close();
                }
            } finally {
                if (rootOwned != null) {
                    Unprivileged.deleteTree(rootOwned);
                }
            }
        }
    }
}
