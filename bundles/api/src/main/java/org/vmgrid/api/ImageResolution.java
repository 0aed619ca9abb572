package org.vmgrid.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link ImageCatalog#resolve}: the usable image, or the reason a user can act on why
 * there is none (unknown name, expired or badly signed list, image revoked).
 */
public record ImageResolution(Optional<ImageDescriptor> image, String reason) {

    public ImageResolution {
        Objects.requireNonNull(image, "image");
        reason = reason == null ? "" : reason;
        if (image.isEmpty() && reason.isBlank()) {
            throw new IllegalArgumentException("an unresolved image needs a reason");
        }
    }

    public static ImageResolution found(ImageDescriptor image) {
        return new ImageResolution(Optional.of(image), "");
    }

    public static ImageResolution notUsable(String reason) {
        return new ImageResolution(Optional.empty(), reason);
    }

    public boolean isUsable() {
        return image.isPresent();
    }
}
