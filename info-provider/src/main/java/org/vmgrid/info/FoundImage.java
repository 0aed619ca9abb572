package org.vmgrid.info;

import java.util.List;

/**
 * An image a CE offers, as a BDII publishes it. Version and title are the endorser's free text.
 *
 * @param uuid the image's UUID
 * @param aliases the site's short names for it
 * @param vos the VOs the site allows it to; empty when the site allows it to every VO
 * @param version the image's version
 * @param title the image's title
 */
public record FoundImage(String uuid, List<String> aliases, List<String> vos, String version, String title) {

    public FoundImage {
        aliases = List.copyOf(aliases);
        vos = List.copyOf(vos);
    }
}
