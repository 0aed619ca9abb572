package org.vmgrid.api;

import java.util.Locale;
import java.util.Optional;

/**
 * Where the guest agent of an image comes from: the agent that runs the job's payload in the VM
 * and reports back through the guest contract.
 */
public enum GuestAgent {
    /** The image carries a vmgrid guest agent of its own (the test appliance, images built for vmgrid). */
    IMAGE("image"),
    /**
     * A stock cloud image with cloud-init and no vmgrid agent: the pilot delivers the agent through
     * the NoCloud seed (multipart user-data: the site's part, then the user's own), and the job
     * directory travels on disks (in and out) that every kernel with {@code virtio_blk} reads.
     */
    CLOUD_INIT("cloud-init");

    private final String keyword;

    GuestAgent(String keyword) {
        this.keyword = keyword;
    }

    /** The keyword of image lists ({@code vmgrid:guestagent}) and site configuration. */
    public String keyword() {
        return keyword;
    }

    /** Parses a keyword exactly (lower case, as written by this enum); empty when it names no agent. */
    public static Optional<GuestAgent> fromKeyword(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (GuestAgent a : values()) {
            if (a.keyword.equals(text.toLowerCase(Locale.ROOT)) && a.keyword.equals(text)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
