package org.vmgrid.imagelist;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured image list, as the catalogue judged it.
 *
 * @param path the list file
 * @param usable whether its images may be booted (read, trusted, unexpired, newest version)
 * @param reason why not; empty when usable
 * @param expires its {@code dc:date:expires}, when it could be read
 * @param imageCount how many image entries it holds
 * @param identifier its {@code dc:identifier}, when it could be read
 * @param signed whether the file carries a signature (trusted or not)
 * @param signer the subject of the certificate whose signature was verified; empty for an unsigned
 *     list or a signature that is not trusted
 * @param images every image entry, in list order, each usable or with its reason
 */
public record ListStatus(Path path, boolean usable, String reason, Optional<Instant> expires, int imageCount,
        Optional<String> identifier, boolean signed, Optional<String> signer, List<ImageStatus> images) {

    public ListStatus {
        Objects.requireNonNull(path, "path");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(signer, "signer");
        images = List.copyOf(images);
        if (!usable && reason.isBlank()) {
            throw new IllegalArgumentException("an unusable list needs a reason: " + path);
        }
    }

    /** A list that could not be read or trusted at all. */
    public static ListStatus unreadable(Path path, String reason) {
        return new ListStatus(path, false, reason, Optional.empty(), 0, Optional.empty(), false, Optional.empty(),
                List.of());
    }
}
