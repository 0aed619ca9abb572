package org.vmgrid.decision;

import java.util.Optional;

/**
 * The one spelling of the tag that names a VM image: {@code VM-IMAGE-<image UUID or site alias>}.
 * Users ask with it ({@code Member("VM-IMAGE-...", other.GlueHostApplicationSoftwareRunTimeEnvironment)}),
 * the CE module writes it for an admitted job, the BLAH hooks read it back, and the information
 * provider publishes one per image the site offers. ClassAd compares strings ignoring case, so the
 * prefix is read ignoring case too.
 */
public final class ImageTag {

    /** The prefix, as vmgrid writes it. */
    public static final String PREFIX = "VM-IMAGE-";

    private ImageTag() {
    }

    /** The tag naming {@code imageRef} (a UUID or alias). */
    public static String of(String imageRef) {
        return PREFIX + imageRef;
    }

    /** True when {@code text} starts with the prefix, in any case. */
    public static boolean isTag(String text) {
        return text != null && text.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** True when {@code text} holds the prefix anywhere, in any case. */
    public static boolean mentions(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i + PREFIX.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, PREFIX, 0, PREFIX.length())) {
                return true;
            }
        }
        return false;
    }

    /** What follows the prefix (as written, not checked); empty when {@code tag} is no image tag. */
    public static Optional<String> imageRef(String tag) {
        return isTag(tag) ? Optional.of(tag.substring(PREFIX.length())) : Optional.empty();
    }
}
