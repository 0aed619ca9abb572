package org.vmgrid.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.config.PolicySection;

/**
 * The site's VO policy ({@code policy.properties}): which VO may use which images, named by UUID,
 * by an alias of {@code images.properties}, or {@code *} for every usable image. Without a policy
 * file every VO may use every usable image; with one, a VO it does not name may use none, and a
 * grid user of unknown VO is refused.
 *
 * @param section the site's policy
 * @param aliases the site's image aliases, alias to UUID
 */
public record VoImagePolicy(PolicySection section, Map<String, String> aliases) {

    public VoImagePolicy {
        Objects.requireNonNull(section, "section");
        aliases = Map.copyOf(aliases);
    }

    /** True when the site has a policy file, so that each VO may use only the images it names. */
    public boolean restricted() {
        return section.restricted();
    }

    /**
     * Why {@code asker} may not use {@code image}, asked for as {@code askedAs}; empty when it may.
     * A {@linkplain Asker#localAccount local account} is not subject to the VO policy.
     */
    public Optional<String> refusal(ImageDescriptor image, String askedAs, Asker asker) {
        if (!section.restricted() || asker.localAccount().isPresent()) {
            return Optional.empty();
        }
        if (asker.vo().isEmpty()) {
            return Optional.of("this site lets each VO use only the images its policy names, and the job's VO is not "
                    + "known; submit with a VOMS proxy of your VO and set VirtualOrganisation = \"<your VO>\" in the JDL");
        }
        String vo = asker.vo().get();
        List<String> allowed = section.imagesByVo().get(vo);
        if (allowed == null || allowed.isEmpty()) {
            return Optional.of("VO " + vo + " may use no VM image at this site; run the job without a VM, or ask the "
                    + "site to allow your VO an image");
        }
        if (allowed.stream().anyMatch(entry -> names(entry, image))) {
            return Optional.empty();
        }
        return Optional.of("VO " + vo + " may not use image " + askedAs + " at this site; it may use: "
                + String.join(", ", allowed));
    }

    /** The VOs the policy lets use {@code image}, in name order; empty without a policy file (every VO may). */
    public List<String> vosAllowed(ImageDescriptor image) {
        List<String> vos = new ArrayList<>();
        if (section.restricted()) {
            new TreeMap<>(section.imagesByVo()).forEach((vo, entries) -> {
                if (entries.stream().anyMatch(entry -> names(entry, image))) {
                    vos.add(vo);
                }
            });
        }
        return vos;
    }

    /** True when a policy entry ({@code *}, a UUID or an alias) names the image. */
    private boolean names(String entry, ImageDescriptor image) {
        return entry.equals("*") || entry.equals(image.uuid()) || image.uuid().equals(aliases.get(entry));
    }
}
