package org.vmgrid.imagelist;

import java.util.Objects;
import java.util.Optional;
import org.vmgrid.api.ImageDescriptor;

/**
 * One image entry of one image list, as the catalogue judged it.
 *
 * @param identifier the entry's {@code dc:identifier}: a lower-case UUID, or the raw text made
 *     printable when it is not one
 * @param title {@code dc:title} made printable (free text from the endorser)
 * @param usable whether a job may boot this entry
 * @param reason why it is not usable; empty when usable
 * @param image the validated image; empty when the entry itself is malformed
 */
public record ImageStatus(String identifier, String title, boolean usable, String reason,
        Optional<ImageDescriptor> image) {

    public ImageStatus {
        Objects.requireNonNull(identifier, "identifier");
        title = title == null ? "" : title;
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(image, "image");
        if (usable && image.isEmpty()) {
            throw new IllegalArgumentException("a usable image entry needs its image: " + identifier);
        }
        if (!usable && reason.isBlank()) {
            throw new IllegalArgumentException("an unusable image entry needs a reason: " + identifier);
        }
    }

    /** This entry made unusable for the given reason. */
    public ImageStatus unusable(String why) {
        return new ImageStatus(identifier, title, false, why, image);
    }
}
