package org.vmgrid.info;

import java.util.List;
import org.vmgrid.api.ImageDescriptor;

/**
 * An image the site publishes: usable, unexpired, and allowed to at least one VO.
 *
 * @param image the image as the trusted catalogue describes it
 * @param aliases the site's short names for it, sorted
 * @param vos the VOs allowed to use it, sorted; empty when the site has no VO policy (every VO may)
 */
public record PublishedImage(ImageDescriptor image, List<String> aliases, List<String> vos) {

    public PublishedImage {
        aliases = List.copyOf(aliases);
        vos = List.copyOf(vos);
    }
}
