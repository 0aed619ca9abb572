package org.vmgrid.info;

import java.util.List;

/**
 * A VM-capable CE found in a BDII.
 *
 * @param ce the CE ID ({@code host:port/cream-<lrms>-<queue>}), or the GLUE 2.0 service ID when none is published
 * @param service the GLUE 2.0 ComputingService ID
 * @param site the AdminDomain (site) the service belongs to
 * @param images the images it offers that match the search, in UUID order
 */
public record FoundCe(String ce, String service, String site, List<FoundImage> images) {

    public FoundCe {
        images = List.copyOf(images);
    }
}
