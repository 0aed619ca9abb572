package org.vmgrid.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmgrid cream}: CREAM's job wrapper on the worker nodes. */
@Command(name = "cream", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Plug vmgrid into CREAM's job wrapper on a worker node.",
        subcommands = CreamCommand.InstallCustomization.class)
public final class CreamCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code vmgrid cream install-customization --dir DIR [--launcher PATH]}. */
    @Command(name = "install-customization", mixinStandardHelpOptions = true,
            versionProvider = VersionCommand.Provider.class,
            description = {"Install vmgrid's cp_1.sh and cp_2.sh into the worker node's GLITE_LOCAL_CUSTOMIZATION_DIR,",
                "with the node's pilot service socket (service.socket of pilot.properties) and vmgrid launcher",
                "written in, so that CREAM's job wrapper runs a VM job's command in its VM. Run it as root, again",
                "after changing either."})
    public static final class InstallCustomization implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigDirOption configDir;

        @Option(names = "--dir", required = true, paramLabel = "DIR",
                description = "The worker node's GLITE_LOCAL_CUSTOMIZATION_DIR (root's, writable by no one else).")
        Path dir;

        @Option(names = "--launcher", paramLabel = "PATH", defaultValue = "/usr/bin/vmgrid",
                description = "The vmgrid command on the worker node (default ${DEFAULT-VALUE}).")
        Path launcher;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            SiteConfig config;
            try {
                config = SiteConfig.load(configDir.directory());
            } catch (ConfigException e) {
                err.println("vmgrid cream install-customization: " + e.getMessage());
                return ExitCodes.CONFIG;
            }
            if (config.pilot().serviceSocket().isEmpty()) {
                err.println("vmgrid cream install-customization: " + configDir.directory().resolve("pilot.properties")
                        + " names no service.socket; CREAM's jobs run their VMs through the pilot service: set it (e.g."
                        + " service.socket = /run/vmgrid/pilot.sock) and run vmgrid serve on the node");
                return ExitCodes.CONFIG;
            }
            Path from = Path.of(System.getProperty("vmgrid.home", "."), "cream-wrapper").toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                err.println("vmgrid cream install-customization: " + dir + " is not a directory; name the worker node's "
                        + "GLITE_LOCAL_CUSTOMIZATION_DIR");
                return ExitCodes.USAGE;
            }
            try {
                for (Path p : CreamCustomization.install(from, dir, launcher, config.pilot().serviceSocket().get())) {
                    out.println("installed " + p);
                }
            } catch (IllegalArgumentException e) {
                err.println("vmgrid cream install-customization: " + e.getMessage());
                return ExitCodes.CONFIG;
            }
            return ExitCodes.OK;
        }
    }
}
