package org.vmgrid.api;

import java.util.List;

/**
 * The site's trusted images: those of the configured image lists that are signed by a trusted
 * endorser (or explicitly allowed unsigned), unexpired, and still listed.
 */
public interface ImageCatalog {

    /** Resolves an image UUID or a site alias to a usable image, or says why it cannot be used. */
    ImageResolution resolve(String uuidOrAlias);

    /** Every usable image, ordered by UUID. */
    List<ImageDescriptor> usableImages();
}
