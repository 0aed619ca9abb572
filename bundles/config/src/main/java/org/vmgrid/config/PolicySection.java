package org.vmgrid.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code policy.properties}: which VO may use which images. {@code vo.<name>.images} lists image
 * UUIDs or aliases, or {@code *} for every usable image. A VO not named may use no image. Without
 * the file every VO may use every usable image.
 *
 * @param imagesByVo VO name to the images (UUIDs, aliases or {@code *}) it may use
 * @param restricted false when the site has no policy file: every VO may use every usable image
 */
public record PolicySection(Map<String, List<String>> imagesByVo, boolean restricted) {

    /** VOMS VO names: DNS-like. */
    public static final Pattern VO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern IMAGE_REF = Pattern.compile("\\*|[a-z0-9][a-z0-9._-]{0,62}|[0-9a-f-]{36}");

    public PolicySection {
        imagesByVo = Map.copyOf(imagesByVo);
    }

    public static PolicySection open() {
        return new PolicySection(Map.of(), false);
    }

    static PolicySection from(ConfigFile f) {
        Map<String, List<String>> byVo = new LinkedHashMap<>();
        for (String key : f.keysWithPrefix("vo.")) {
            if (!key.endsWith(".images")) {
                throw f.bad(key, f.raw(key), "keys of the form vo.<name>.images");
            }
            String vo = key.substring(3, key.length() - ".images".length());
            if (!VO.matcher(vo).matches()) {
                throw f.bad(key, f.raw(key), "a VO name of letters, digits, '.', '_' and '-'");
            }
            List<String> refs = f.list(key, List.of());
            for (String r : refs) {
                if (!IMAGE_REF.matcher(r).matches()) {
                    throw f.bad(key, r, "image UUIDs, site aliases or *");
                }
            }
            byVo.put(vo, refs);
        }
        f.rejectUnknownKeys();
        return new PolicySection(byVo, true);
    }
}
