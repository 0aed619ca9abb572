package org.vmgrid.cli;

import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.imagelist.TrustedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmgrid image}: the site's trusted image lists. */
@Command(name = "image", description = "Inspect the site's trusted image lists.", subcommands = ImageCommand.ListImages.class)
public final class ImageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code vmgrid image list [--catalog LIST]... [--trust-unsigned] [--config-dir DIR] [--json]}. */
    @Command(name = "list", description = {"Show every image list with its state (signature, expiry, versions) and "
            + "every image, usable or with the reason it is not.",
            "Exit 0 when the configuration could be read (whatever the lists hold), 78 when not."})
    public static final class ListImages implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigDirOption dir;

        @Mixin

        CatalogOptions catalogOptions;

        @Option(names = "--json", description = "Print one JSON object instead of text.")
        boolean json;

        @Override
        public Integer call() {
            SiteConfig config;
            try {
                config = dir.isExplicit() || Files.isDirectory(dir.directory()) ? SiteConfig.load(dir.directory())
                        : SiteConfig.builtIn();
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("vmgrid image list: " + e.getMessage());
                return ExitCodes.CONFIG;
            }
            CatalogSources sources = catalogOptions.sources(config);
            TrustedCatalog catalog = new CatalogLoader(Clock.systemUTC()).load(sources);
            ImageListPrinter printer = new ImageListPrinter(spec.commandLine().getOut());
            if (json) {
                printer.json(sources, catalog);
            } else {
                printer.text(sources, catalog);
            }
            return ExitCodes.OK;
        }
    }
}
