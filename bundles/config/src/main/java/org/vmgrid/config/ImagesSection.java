package org.vmgrid.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.vmgrid.api.ImageDescriptor;

/**
 * {@code images.properties}: which HEPiX image lists the site trusts and the short names it gives
 * images.
 *
 * @param catalogs image list files, relative paths taken from the configuration directory
 * @param trustUnsigned whether unsigned image lists are accepted (only for test sites)
 * @param trustAnchors directory of PEM certificates of trusted image-list endorsers' CAs
 * @param aliases site alias to image UUID
 * @param cloudInitImages {@code cloud-init.images}: the UUIDs of images that have cloud-init and no vmgrid
 *     guest agent, whatever their lists say: the pilot delivers the agent through cloud-init
 */
public record ImagesSection(List<Path> catalogs, boolean trustUnsigned, Path trustAnchors, Map<String, String> aliases,
        Set<String> cloudInitImages) {

    /** What a site alias may look like: it ends up in batch directives and GLUE tags. */
    public static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    public ImagesSection {
        catalogs = List.copyOf(catalogs);
        aliases = Map.copyOf(aliases);
        cloudInitImages = Set.copyOf(cloudInitImages);
    }

    /** A section that declares no image a stock cloud-init image. */
    public ImagesSection(List<Path> catalogs, boolean trustUnsigned, Path trustAnchors, Map<String, String> aliases) {
        this(catalogs, trustUnsigned, trustAnchors, aliases, Set.of());
    }

    static ImagesSection from(ConfigFile f, Path dir) {
        List<Path> catalogs = f.list("catalogs", List.of()).stream().map(dir::resolve).map(Path::normalize).toList();
        boolean unsigned = f.bool("trust.unsigned", false);
        Path anchors = f.path("trust.anchors", dir.resolve("trust-anchors"));
        Map<String, String> aliases = new LinkedHashMap<>();
        for (String key : f.keysWithPrefix("alias.")) {
            String alias = key.substring("alias.".length());
            if (!ALIAS.matcher(alias).matches()) {
                throw f.bad(key, f.raw(key), "an alias of lower-case letters, digits, '.', '_' and '-' (at most 63)");
            }
            String uuid = f.raw(key);
            if (!ImageDescriptor.isUuid(uuid)) {
                throw f.bad(key, uuid, "an image UUID (dc:identifier) in lower case");
            }
            aliases.put(alias, uuid);
        }
        Set<String> cloudInit = new LinkedHashSet<>();
        for (String image : f.list("cloud-init.images", List.of())) {
            String uuid = aliases.getOrDefault(image, image);
            if (!ImageDescriptor.isUuid(uuid)) {
                throw f.bad("cloud-init.images", image, "image UUIDs (dc:identifier, lower case) or aliases of this file");
            }
            cloudInit.add(uuid);
        }
        f.rejectUnknownKeys();
        return new ImagesSection(catalogs, unsigned, anchors, aliases, cloudInit);
    }
}
