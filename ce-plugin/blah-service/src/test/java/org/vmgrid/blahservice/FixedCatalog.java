package org.vmgrid.blahservice;

import java.util.List;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;

/** A catalogue of the given usable images ({@link TestImages#UUID} by default); every other name is unknown. */
final class FixedCatalog implements ImageCatalog {

    private final List<String> uuids;

    FixedCatalog(String... uuids) {
        this.uuids = uuids.length == 0 ? List.of(TestImages.UUID) : List.of(uuids);
    }

    @Override
    public ImageResolution resolve(String uuidOrAlias) {
        return uuids.contains(uuidOrAlias) ? ImageResolution.found(TestImages.image(uuidOrAlias))
                : ImageResolution.notUsable("unknown image " + uuidOrAlias + "; vmgrid image list shows the site's images");
    }

    @Override
    public List<ImageDescriptor> usableImages() {
        return uuids.stream().map(TestImages::image).toList();
    }
}
