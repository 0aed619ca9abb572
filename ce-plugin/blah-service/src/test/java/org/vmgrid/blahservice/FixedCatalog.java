package org.vmgrid.blahservice;

import java.util.List;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;

/** A catalogue of exactly one usable image ({@link TestImages#UUID}); every other name is unknown. */
final class FixedCatalog implements ImageCatalog {

    @Override
    public ImageResolution resolve(String uuidOrAlias) {
        return TestImages.UUID.equals(uuidOrAlias) ? ImageResolution.found(TestImages.image(TestImages.UUID))
                : ImageResolution.notUsable("unknown image " + uuidOrAlias + "; vmgrid image list shows the site's images");
    }

    @Override
    public List<ImageDescriptor> usableImages() {
        return List.of(TestImages.image(TestImages.UUID));
    }
}
