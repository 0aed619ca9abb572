package org.vmgrid.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.vmgrid.api.VmgridException;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.info.ArcInformation;
import org.vmgrid.info.InfoProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vmgrid arc ldif provider|plugin}: what vmgrid adds to an ARC CE's LDAP infosys, for
 * bdii-update's provider and plugin directories (through {@code arc/vmgrid-arc-info-provider} and
 * {@code arc/vmgrid-arc-info-plugin}). Built whole first; on any error nothing is printed.
 */
@Command(name = "ldif", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "vmgrid's GLUE 2.0 additions to an ARC CE's LDAP infosys.",
        subcommands = {ArcLdifCommand.Provider.class, ArcLdifCommand.Plugin.class})
public final class ArcLdifCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    static int run(CommandSpec spec, InfoCommand.Common common, Function<ArcInformation, String> render) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            SiteConfig config = SiteConfig.load(common.dir.directory());
            Clock clock = Clock.systemUTC();
            String text = render.apply(new ArcInformation(config, InfoProvider.loadCatalog(config, clock), clock));
            if (common.output != null) {
                InfoProvider.writeAtomically(common.output, text);
            } else {
                PrintWriter out = spec.commandLine().getOut();
                out.print(text);
                out.flush();
            }
            return ExitCodes.OK;
        } catch (ConfigException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage() + " (nothing published)");
            return ExitCodes.CONFIG;
        } catch (VmgridException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage() + " (nothing published)");
            return ExitCodes.TEMPFAIL;
        }
    }

    /** {@code vmgrid arc ldif provider}. */
    @Command(name = "provider", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
            description = "GIP provider: the VM ExecutionEnvironment and one ApplicationEnvironment per published image, "
                    + "under A-REX's ComputingManager.")
    public static final class Provider implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        InfoCommand.Common common = new InfoCommand.Common();

        @Override
        public Integer call() {
            return run(spec, common, ArcInformation::providerLdif);
        }
    }

    /** {@code vmgrid arc ldif plugin}. */
    @Command(name = "plugin", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
            description = "GIP plugin: the VM capability and CEID added to A-REX's ComputingService.")
    public static final class Plugin implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        InfoCommand.Common common = new InfoCommand.Common();

        @Override
        public Integer call() {
            return run(spec, common, ArcInformation::pluginLdif);
        }
    }
}
