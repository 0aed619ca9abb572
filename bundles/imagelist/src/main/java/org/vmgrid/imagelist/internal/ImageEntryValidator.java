package org.vmgrid.imagelist.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.vmgrid.api.GuestAgent;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.imagelist.ImageListException;
import org.vmgrid.imagelist.ImageStatus;

/** Validates one {@code hv:image} entry hard: UUID, SHA-512, positive size, file/http/https URI. */
final class ImageEntryValidator {

    private static final Pattern SHA512 = Pattern.compile("[0-9a-fA-F]{128}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9._-]{0,32}");

    ImageStatus validate(JsonNode wrapper, int index, URI listUri, Instant expires, Map<String, List<String>> aliases) {
        JsonNode image = wrapper == null ? null : wrapper.get("hv:image");
        if (image == null || !image.isObject()) {
            return new ImageStatus("entry #" + index, "", false,
                    "entry #" + index + " of hv:images is not an {\"hv:image\": {...}} object", Optional.empty());
        }
        String rawId = safeText(image, "dc:identifier").orElse("");
        String id = rawId.toLowerCase(Locale.ROOT);
        String title = safeText(image, "dc:title").map(Printable::of).orElse("");
        if (!ImageDescriptor.isUuid(id)) {
            String shown = rawId.isEmpty() ? "entry #" + index : Printable.of(rawId);
            return new ImageStatus(shown, title, false, "entry #" + index + " of hv:images: dc:identifier '"
                    + Printable.of(rawId) + "' is not a UUID", Optional.empty());
        }
        try {
            String sha512 = safeText(image, "sl:checksum:sha512").filter(s -> SHA512.matcher(s).matches())
                    .map(s -> s.toLowerCase(Locale.ROOT))
                    .orElseThrow(() -> new ImageListException("sl:checksum:sha512 is missing or not 128 hex digits"));
            long size = size(image.get("hv:size"));
            URI uri = fetchUri(safeText(image, "hv:uri")
                    .orElseThrow(() -> new ImageListException("hv:uri is missing")), "hv:uri");
            String version = safeText(image, "hv:version").map(Printable::of).orElse("");
            String format = safeText(image, "hv:format").map(f -> f.strip().toLowerCase(Locale.ROOT)).orElse("");
            if (!FORMAT.matcher(format).matches()) {
                throw new ImageListException("hv:format '" + Printable.of(format) + "' is not a disk format name");
            }
            GuestAgent agent = guestAgent(image.get("vmgrid:guestagent"));
            ImageDescriptor d = new ImageDescriptor(id, title, version, uri, size, sha512, listUri, expires,
                    aliases.getOrDefault(id, List.of()), format, agent);
            return new ImageStatus(id, title, true, "", Optional.of(d));
        } catch (ImageListException e) {
            return new ImageStatus(id, title, false, "image " + id + " is malformed in its list: " + e.getMessage(),
                    Optional.empty());
        }
    }

    /**
     * {@code vmgrid:guestagent}: where the image's guest agent comes from, {@code image} (its own)
     * when the list does not say, or {@code cloud-init} (a stock cloud image: the pilot delivers it).
     */
    static GuestAgent guestAgent(JsonNode node) {
        if (node == null || node.isNull()) {
            return GuestAgent.IMAGE;
        }
        return GuestAgent.fromKeyword(node.isTextual() ? node.asText() : "").orElseThrow(() -> new ImageListException(
                "vmgrid:guestagent '" + Printable.of(node.toString()) + "' is neither \"image\" nor \"cloud-init\""));
    }

    /** An image appearing twice in one list is ambiguous: every occurrence becomes unusable. */
    static List<ImageStatus> refuseDuplicates(List<ImageStatus> entries) {
        Map<String, Integer> counts = new HashMap<>();
        for (ImageStatus s : entries) {
            counts.merge(s.identifier(), 1, Integer::sum);
        }
        List<ImageStatus> out = new ArrayList<>(entries.size());
        for (ImageStatus s : entries) {
            boolean twice = counts.get(s.identifier()) > 1 && ImageDescriptor.isUuid(s.identifier());
            out.add(twice ? s.unusable("image " + s.identifier() + " appears " + counts.get(s.identifier())
                    + " times in its list; the endorser must list each image once") : s);
        }
        return out;
    }

    /** A URI an image or list may be fetched from: absolute, file, http or https. */
    static URI fetchUri(String text, String what) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ImageListException(what + " '" + Printable.of(text) + "' is not a URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean ok = switch (scheme) {
            case "file" -> uri.getPath() != null && uri.getPath().startsWith("/");
            case "http", "https" -> uri.getHost() != null && !uri.getHost().isEmpty();
            default -> false;
        };
        if (!ok) {
            throw new ImageListException(what + " '" + Printable.of(text)
                    + "' is not an absolute file:, http: or https: URI");
        }
        return uri;
    }

    private static long size(JsonNode n) {
        long size;
        if (n != null && n.isIntegralNumber() && n.canConvertToLong()) {
            size = n.asLong();
        } else if (n != null && n.isTextual() && DIGITS.matcher(n.asText()).matches()) {
            size = Long.parseLong(n.asText());
        } else {
            throw new ImageListException("hv:size is missing or not a whole number of bytes");
        }
        if (size <= 0) {
            throw new ImageListException("hv:size must be positive, was " + size);
        }
        return size;
    }

    private static Optional<String> safeText(JsonNode obj, String field) {
        JsonNode n = obj.get(field);
        return n == null || !(n.isTextual() || n.isNumber()) ? Optional.empty() : Optional.of(n.asText());
    }
}
