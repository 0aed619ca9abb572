package org.vmgrid.cream.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.vmgrid.admission.SiteAdmission;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.cream.JobRegisterGate;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;

/**
 * The gate of a CREAM CE: the same admission as {@code vmgrid jdl check} (the site's
 * {@link SiteAdmission} over its trusted image lists), and the JDL library for the rewrite.
 */
final class SiteGate {

    /** How long a loaded catalogue is used before the image lists are read again. */
    static final Duration CATALOG_REFRESH = Duration.ofMinutes(5);

    private SiteGate() {
    }

    static JobRegisterGate forSite(SiteConfig config, Clock clock) {
        ImageCatalog catalog = new RefreshingCatalog(new CatalogLoader(clock), CatalogSources.from(config.images()), clock);
        return new JobRegisterGate(new SiteAdmission(config, catalog, clock), new JdlLibraryRewriter());
    }

    /** Re-reads the image lists when the loaded catalogue is older than {@link #CATALOG_REFRESH}. */
    static final class RefreshingCatalog implements ImageCatalog {
        private final CatalogLoader loader;
        private final CatalogSources sources;
        private final Clock clock;
        private ImageCatalog current;
        private Instant loaded;

        RefreshingCatalog(CatalogLoader loader, CatalogSources sources, Clock clock) {
            this.loader = loader;
            this.sources = sources;
            this.clock = clock;
        }

        private synchronized ImageCatalog current() {
            Instant now = clock.instant();
            if (current == null || now.isAfter(loaded.plus(CATALOG_REFRESH))) {
                current = loader.load(sources);
                loaded = now;
            }
            return current;
        }

        @Override
        public ImageResolution resolve(String uuidOrAlias) {
            return current().resolve(uuidOrAlias);
        }

        @Override
        public List<ImageDescriptor> usableImages() {
            return current().usableImages();
        }
    }
}
