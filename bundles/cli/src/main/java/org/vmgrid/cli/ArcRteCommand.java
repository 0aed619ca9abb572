package org.vmgrid.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.vmgrid.arc.ArcControlException;
import org.vmgrid.arc.RteScripts;
import org.vmgrid.arc.RteSite;
import org.vmgrid.arc.RteSync;
import org.vmgrid.arc.ArcControl;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.imagelist.ListStatus;
import org.vmgrid.imagelist.TrustedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmgrid arc rte sync}: the CE's VMGRID/ runtime environments, in step with the trusted images. */
@Command(name = "rte", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = "vmgrid's runtime environments at an ARC CE.", subcommands = ArcRteCommand.Sync.class)
public final class ArcRteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code vmgrid arc rte sync [--arc-config FILE] [--arcctl CMD] [--vmgrid PATH]}. */
    @Command(name = "sync", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = {"Write and enable VMGRID/IMAGE/<uuid> and VMGRID/IMAGE/<alias> for every "
            + "usable image and ENV/VMGRID; disable and remove those of images no longer usable. Run it as root on the "
            + "CE after the image lists change (from cron, like the lists' own refresh).",
        "Exit 0: in step; 74: arcctl failed; 78: the configuration (vmgrid's or arc.conf) cannot be used; an arc.conf "
            + "without vmgrid's state callout gets every vmgrid runtime environment withdrawn and exit 78."})
    public static final class Sync implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigDirOption dir;

        @Option(names = "--arc-config", paramLabel = "FILE", defaultValue = "/etc/arc.conf",
                description = "The CE's arc.conf (default ${DEFAULT-VALUE}).")
        Path arcConfig;

        @Option(names = "--arcctl", paramLabel = "CMD", defaultValue = "arcctl", description = "ARC's control tool (default ${DEFAULT-VALUE}).")
        String arcctl;

        @Option(names = "--pilot-socket", paramLabel = "PATH", description = "The pilot service socket on the worker "
                + "nodes (default: service.socket of pilot.properties).")
        Path pilotSocket;

        @Option(names = "--vmgrid", paramLabel = "PATH", defaultValue = "/usr/bin/vmgrid",
                description = "The vmgrid command on the worker nodes (default ${DEFAULT-VALUE}).")
        Path vmgrid;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            SiteConfig config;
            RteSite site;
            try {
                config = SiteConfig.load(dir.directory());
                if (pilotSocket == null && config.pilot().serviceSocket().isEmpty()) {
                    err.println("vmgrid arc rte sync: no --pilot-socket and no service.socket in pilot.properties; ARC's "
                            + "VM jobs run through the worker nodes' pilot service: name the socket 'vmgrid serve' "
                            + "listens on there");
                    return ExitCodes.CONFIG;
                }
                site = RteSite.of(vmgrid, pilotSocket != null ? pilotSocket : config.pilot().serviceSocket().get(),
                        config.limits());
            } catch (ConfigException | IllegalArgumentException e) {
                err.println("vmgrid arc rte sync: " + e.getMessage());
                return ExitCodes.CONFIG;
            }
            TrustedCatalog catalog = new CatalogLoader(Clock.systemUTC()).load(CatalogSources.from(config.images()));
            for (ListStatus s : catalog.lists()) {
                if (!s.usable()) {
                    err.println("vmgrid arc rte sync: image list " + s.path() + " is not usable: " + s.reason());
                }
            }
            RteSync sync = new RteSync(ArcControl.arcctl(new ProcessCommandRunner(), arcctl, arcConfig), new RteScripts());
            try {
                RteSync.Report r = sync.sync(catalog.usableImages(), config.images().aliases(), site,
                        Clock.systemUTC().instant());
                r.written().forEach(n -> out.println("written: " + n));
                r.enabled().forEach(n -> out.println("enabled: " + n));
                r.removed().forEach(n -> out.println("removed: " + n));
                out.flush();
                return ExitCodes.OK;
            } catch (ArcControlException e) {
                err.println("vmgrid arc rte sync: " + e.getMessage());
                return e.isToolFailure() ? ExitCodes.TEMPFAIL : ExitCodes.CONFIG;
            }
        }
    }
}
