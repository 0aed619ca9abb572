package org.vmgrid.imagelist;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.vmgrid.config.ImagesSection;

/**
 * Where the site's image lists are and how far they are trusted.
 *
 * @param lists image list files, in the order the site configured them
 * @param trustUnsigned whether unsigned lists are accepted (test sites only)
 * @param trustAnchors directory of PEM CA certificates that signed lists must chain to; empty
 *     means no signed list can be trusted
 * @param aliases site alias to image UUID
 * @param cloudInitImages UUIDs of the images the site declares stock cloud-init images (their guest
 *     agent delivered by the pilot), whatever their lists say
 */
public record CatalogSources(List<Path> lists, boolean trustUnsigned, Optional<Path> trustAnchors,
        Map<String, String> aliases, Set<String> cloudInitImages) {

    public CatalogSources {
        lists = List.copyOf(lists);
        Objects.requireNonNull(trustAnchors, "trustAnchors");
        aliases = Map.copyOf(aliases);
        cloudInitImages = Set.copyOf(cloudInitImages);
    }

    /** Sources that declare no image a stock cloud-init image. */
    public CatalogSources(List<Path> lists, boolean trustUnsigned, Optional<Path> trustAnchors,
            Map<String, String> aliases) {
        this(lists, trustUnsigned, trustAnchors, aliases, Set.of());
    }

    /** The sources {@code images.properties} describes. */
    public static CatalogSources from(ImagesSection images) {
        return new CatalogSources(images.catalogs(), images.trustUnsigned(), Optional.ofNullable(images.trustAnchors()),
                images.aliases(), images.cloudInitImages());
    }

    /** These sources with other list files (the CLI's {@code --catalog}). */
    public CatalogSources withLists(List<Path> otherLists) {
        return new CatalogSources(otherLists, trustUnsigned, trustAnchors, aliases, cloudInitImages);
    }

    /** These sources with unsigned lists trusted (the CLI's {@code --trust-unsigned}). */
    public CatalogSources trustingUnsigned() {
        return new CatalogSources(lists, true, trustAnchors, aliases, cloudInitImages);
    }
}
