package org.vmgrid.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.imagelist.CatalogSources;
import picocli.CommandLine.Option;

/** {@code --catalog} and {@code --trust-unsigned}, shared by every command that reads image lists. */
public final class CatalogOptions {

    @Option(names = "--catalog", paramLabel = "LIST",
            description = "An image list file to read instead of those images.properties names (repeatable).")
    List<Path> catalogs = new ArrayList<>();

    @Option(names = "--trust-unsigned", description = "Accept unsigned image lists (test sites only).")
    boolean trustUnsigned;

    /** The site's image lists and trust, with these options applied. */
    public CatalogSources sources(SiteConfig config) {
        CatalogSources sources = CatalogSources.from(config.images());
        if (!catalogs.isEmpty()) {
            sources = sources.withLists(catalogs.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        }
        return trustUnsigned ? sources.trustingUnsigned() : sources;
    }
}
