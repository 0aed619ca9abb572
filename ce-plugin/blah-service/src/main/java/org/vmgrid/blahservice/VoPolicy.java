package org.vmgrid.blahservice;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.config.PolicySection;

/**
 * The site's {@code policy.properties} at submission: which VO may use which image (UUIDs, aliases of
 * {@code images.properties}, or {@code *}). Same rule as the CE's admission ({@code SiteAdmission}).
 *
 * @param policy the site's policy
 * @param aliases the site's image aliases, alias to UUID
 */
public record VoPolicy(PolicySection policy, Map<String, String> aliases) {

    public VoPolicy {
        Objects.requireNonNull(policy, "policy");
        aliases = Map.copyOf(aliases);
    }

    /** No policy file: every VO may use every usable image. */
    public static VoPolicy open() {
        return new VoPolicy(PolicySection.open(), Map.of());
    }

    /** Why {@code vo} may not use {@code image}; empty when it may. */
    public Optional<String> refusal(ImageDescriptor image, Optional<String> vo) {
        if (!policy.restricted()) {
            return Optional.empty();
        }
        if (vo.isEmpty()) {
            return Optional.of("this site lets each VO use only the images its policy names, and the job's VO is not "
                    + "known; the site must pass VirtualOrganisation and x509UserProxyFQAN to the hook "
                    + "(blah_pass_submit_attributes in blah.config), the user submit with a VOMS proxy and "
                    + "VirtualOrganisation in the JDL");
        }
        List<String> allowed = policy.imagesByVo().get(vo.get());
        if (allowed == null || allowed.isEmpty()) {
            return Optional.of("VO " + vo.get() + " may use no VM image at this site; run the job without a VM, or ask "
                    + "the site to allow your VO an image");
        }
        for (String entry : allowed) {
            if (entry.equals("*") || entry.equals(image.uuid()) || image.uuid().equals(aliases.get(entry))) {
                return Optional.empty();
            }
        }
        return Optional.of("VO " + vo.get() + " may not use image " + image.uuid() + " at this site; it may use: "
                + String.join(", ", allowed));
    }
}
