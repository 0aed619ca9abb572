package org.vmgrid.imagelist.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.imagelist.CatalogSources;

/**
 * Offers the site's {@link ImageCatalog}, built from the image lists {@code images.properties}
 * names. List files are watched: a refreshed list takes effect within {@link #RECHECK}.
 */
@Component(service = ImageCatalog.class)
public final class ImageCatalogComponent implements ImageCatalog {

    /** How often the list files are checked for changes. */
    static final Duration RECHECK = Duration.ofSeconds(10);

    private final ReloadingCatalog catalog;

    @Activate
    public ImageCatalogComponent(@Reference SiteConfig config) {
        this.catalog = new ReloadingCatalog(CatalogSources.from(config.images()), Clock.systemUTC(), RECHECK);
    }

    @Override
    public ImageResolution resolve(String uuidOrAlias) {
        return catalog.resolve(uuidOrAlias);
    }

    @Override
    public List<ImageDescriptor> usableImages() {
        return catalog.usableImages();
    }
}
