package org.vmgrid.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One appliance image as a trusted HEPiX image list describes it.
 *
 * @param uuid the image's {@code dc:identifier}, a lower-case UUID
 * @param title {@code dc:title}; free text from the list's endorser, never trusted for output
 * @param version {@code hv:version}; free text
 * @param uri where the image is fetched from ({@code hv:uri}: file, http or https)
 * @param size the image's size in bytes ({@code hv:size})
 * @param sha512 the image's SHA-512, 128 lower-case hex digits ({@code sl:checksum:sha512})
 * @param listUri the image list this image was read from
 * @param listExpires when that list expires; the image is unusable from then on
 * @param aliases the short names the site gave this image, possibly none
 * @param format the disk format the list gives ({@code hv:format}, lower-case, e.g. {@code qcow2} or
 *     {@code raw}), empty when it gives none; the pilot boots an image only when its bytes are in
 *     that format
 * @param guestAgent where the image's guest agent comes from ({@code vmgrid:guestagent} of its list, or
 *     the site's {@code cloud-init.images}): the image's own, or delivered by the pilot through cloud-init
 */
public record ImageDescriptor(String uuid, String title, String version, URI uri, long size, String sha512,
        URI listUri, Instant listExpires, List<String> aliases, String format, GuestAgent guestAgent) {

    private static final Pattern FORMAT = Pattern.compile("[a-z0-9._-]{0,32}");

    /** An image whose list gives no format. */
    public ImageDescriptor(String uuid, String title, String version, URI uri, long size, String sha512, URI listUri,
            Instant listExpires, List<String> aliases) {
        this(uuid, title, version, uri, size, sha512, listUri, listExpires, aliases, "");
    }

    /** An image that carries its own guest agent. */
    public ImageDescriptor(String uuid, String title, String version, URI uri, long size, String sha512, URI listUri,
            Instant listExpires, List<String> aliases, String format) {
        this(uuid, title, version, uri, size, sha512, listUri, listExpires, aliases, format, GuestAgent.IMAGE);
    }

    /** This image, with its guest agent from {@code agent}. */
    public ImageDescriptor withGuestAgent(GuestAgent agent) {
        return new ImageDescriptor(uuid, title, version, uri, size, sha512, listUri, listExpires, aliases, format, agent);
    }

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SHA512 = Pattern.compile("[0-9a-f]{128}");

    public ImageDescriptor {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(sha512, "sha512");
        Objects.requireNonNull(listUri, "listUri");
        Objects.requireNonNull(listExpires, "listExpires");
        Objects.requireNonNull(guestAgent, "guestAgent");
        if (!isUuid(uuid)) {
            throw new IllegalArgumentException("image identifier is not a lower-case UUID: " + uuid);
        }
        if (!SHA512.matcher(sha512).matches()) {
            throw new IllegalArgumentException("image " + uuid + ": SHA-512 is not 128 lower-case hex digits");
        }
        if (size <= 0) {
            throw new IllegalArgumentException("image " + uuid + ": size must be positive, was " + size);
        }
        title = title == null ? "" : title;
        version = version == null ? "" : version;
        aliases = List.copyOf(aliases == null ? List.of() : aliases);
        format = format == null ? "" : format;
        if (!FORMAT.matcher(format).matches()) {
            throw new IllegalArgumentException("image " + uuid + ": format must be a short lower-case word, was "
                    + format.replaceAll("[^\\x20-\\x7e]", "?"));
        }
    }

    /** True when the text is a UUID in the canonical lower-case form this API uses. */
    public static boolean isUuid(String text) {
        return text != null && UUID.matcher(text).matches();
    }
}
