package org.vmgrid.decision;

import java.util.List;
import java.util.Objects;
import org.vmgrid.api.ImageDescriptor;

/**
 * An image the site offers to grid jobs now, as the information provider publishes it.
 *
 * @param image the usable, unexpired image
 * @param aliases the site's short names for it, sorted
 * @param vos the VOs the policy lets use it, sorted; empty when the site has no VO policy (every VO may)
 */
public record OfferedImage(ImageDescriptor image, List<String> aliases, List<String> vos) {

    public OfferedImage {
        Objects.requireNonNull(image, "image");
        aliases = List.copyOf(aliases);
        vos = List.copyOf(vos);
    }
}
