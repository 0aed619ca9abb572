package org.vmgrid.info;

import java.util.List;
import org.vmgrid.glue.Glue13ComputingElement;
import org.vmgrid.glue.Glue13SubCluster;
import org.vmgrid.glue.Glue2ComputingSite;

/**
 * Everything the provider publishes for the site, as typed GLUE values.
 *
 * @param ce the GLUE 1.3 CE
 * @param subCluster the GLUE 1.3 cluster and subcluster with the VM tags
 * @param glue2 the GLUE 2.0 service, manager, execution environment and application environments
 * @param images the images published, in UUID order
 */
public record SitePublication(Glue13ComputingElement ce, Glue13SubCluster subCluster, Glue2ComputingSite glue2,
        List<PublishedImage> images) {

    public SitePublication {
        images = List.copyOf(images);
    }
}
