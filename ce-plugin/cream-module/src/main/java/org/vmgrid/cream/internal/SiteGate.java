package org.vmgrid.cream.internal;

import java.time.Clock;
import java.time.Duration;
import org.vmgrid.admission.SiteAdmission;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.cream.JobRegisterGate;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;

/**
 * The gate of a CREAM CE: the same admission as {@code vmgrid jdl check} (the site's
 * {@link SiteAdmission} over its trusted image lists), and the JDL library for the rewrite.
 */
final class SiteGate {

    /** How often the image lists' files are checked for a change. */
    static final Duration CATALOG_RECHECK = Duration.ofSeconds(10);

    private SiteGate() {
    }

    static JobRegisterGate forSite(SiteConfig config, Clock clock) {
        ImageCatalog catalog = new CatalogLoader(clock).following(CatalogSources.from(config.images()), CATALOG_RECHECK);
        return new JobRegisterGate(new SiteAdmission(config, catalog, clock), new JdlLibraryRewriter());
    }
}
