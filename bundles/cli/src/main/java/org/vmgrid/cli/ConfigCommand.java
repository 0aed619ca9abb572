package org.vmgrid.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vmgrid config check}: validates a site configuration directory as start-up would. */
@Command(name = "config", description = "Check the site configuration.",
        subcommands = ConfigCommand.Check.class)
public final class ConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code vmgrid config check [--config-dir DIR]}. */
    @Command(name = "check", description = "Validate every file of the configuration directory, as start-up does.")
    public static final class Check implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigDirOption dir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                SiteConfig c = SiteConfig.load(dir.directory());
                out.println(c.directory().orElseThrow() + ": configuration is valid (" + String.join(", ",
                        c.files().keySet().stream().map(n -> n + ".properties").toList()) + ")");
                out.println("site " + c.site().siteName() + ", CE " + c.site().ceId() + ", "
                        + c.images().catalogs().size() + " image list(s), " + c.images().aliases().size() + " alias(es)");
                return ExitCodes.OK;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("vmgrid config check: " + e.getMessage());
                return ExitCodes.CONFIG;
            }
        }
    }
}
