package org.vmgrid.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.vmgrid.api.VmgridException;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.info.InfoProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vmgrid info ldif|plugin|xml}: the site's VM capabilities and images in GLUE for the BDII.
 * The output is built whole first; on any error nothing is printed, the reason goes to stderr and
 * the exit code is non-zero, so the BDII keeps its last good data.
 */
@Command(name = "info", description = "Print the site's VM capabilities as GLUE LDIF or XML for the BDII.",
        subcommands = {InfoCommand.Ldif.class, InfoCommand.Plugin.class, InfoCommand.Xml.class})
public final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** Options every info subcommand shares. */
    static final class Common {
        @Mixin
        ConfigDirOption dir;

        @Option(names = "--output", paramLabel = "FILE",
                description = "Write to FILE (whole or not at all: temporary file, then rename) instead of stdout.")
        Path output;
    }

    static int run(CommandSpec spec, Common common, Function<InfoProvider, String> render) {
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName();
        try {
            SiteConfig config = SiteConfig.load(common.dir.directory());
            Clock clock = Clock.systemUTC();
            InfoProvider provider = new InfoProvider(config, InfoProvider.loadCatalog(config, clock),
                    InfoProvider.batchStatusFor(config, new ProcessCommandRunner()), clock);
            String text = render.apply(provider);
            if (common.output != null) {
                InfoProvider.writeAtomically(common.output, text);
            } else {
                PrintWriter out = spec.commandLine().getOut();
                out.print(text);
                out.flush();
            }
            return ExitCodes.OK;
        } catch (ConfigException e) {
            err.println(name + ": " + e.getMessage() + " (nothing published)");
            return ExitCodes.CONFIG;
        } catch (VmgridException e) {
            err.println(name + ": " + e.getMessage() + " (nothing published)");
            return ExitCodes.TEMPFAIL;
        }
    }

    /** {@code vmgrid info ldif}: the GIP provider. */
    @Command(name = "ldif", description = "GIP provider: every GLUE 1.3 and 2.0 entry of the site, as LDIF.")
    public static final class Ldif implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            return run(spec, common, InfoProvider::providerLdif);
        }
    }

    /** {@code vmgrid info plugin}: the GIP dynamic plugin. */
    @Command(name = "plugin", description = "GIP plugin: VM slots and VM jobs from the batch system, as LDIF changes to the provider's entries.")
    public static final class Plugin implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            return run(spec, common, InfoProvider::pluginLdif);
        }
    }

    /** {@code vmgrid info xml}: the GLUE 2.0 XML document. */
    @Command(name = "xml", description = "The site's GLUE 2.0 entities as an XML document (OGF GLUE 2.0 schema).")
    public static final class Xml implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Common common = new Common();
        @Option(names = "--batch-status", description = "Ask the batch system for VM slots and jobs (default: configured slots, no jobs).")
        boolean batchStatus;

        @Override
        public Integer call() {
            return run(spec, common, p -> p.xml(batchStatus));
        }
    }
}
