package org.vmgrid.imagelist.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.vmgrid.imagelist.ImageListException;
import org.vmgrid.imagelist.ImageStatus;

/**
 * Reads the JSON of a HEPiX {@code hv:imagelist}. A list-level problem (not JSON, no expiry, no
 * identifier) throws; a bad image entry only makes that entry unusable.
 */
public final class ImageListParser {

    private final ObjectMapper json = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private final ImageEntryValidator entries = new ImageEntryValidator();

    /**
     * @param content the list's JSON (UTF-8)
     * @param source the file it came from, for messages and as the list's URI when it names none
     * @param aliasesByUuid the site aliases of each image UUID
     */
    public ParsedList parse(byte[] content, Path source, Map<String, List<String>> aliasesByUuid) {
        JsonNode root;
        try {
            root = json.readTree(content);
        } catch (JsonProcessingException e) {
            throw new ImageListException("not a JSON image list (" + Printable.of(e.getOriginalMessage()) + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        } catch (java.io.IOException e) {
            throw new ImageListException("cannot read the list's JSON: " + e.getMessage(), e);
        }
        JsonNode list = root == null ? null : root.get("hv:imagelist");
        if (list == null || !list.isObject()) {
            throw new ImageListException("no \"hv:imagelist\" object at the top level: not a HEPiX image list");
        }
        String id = text(list, "dc:identifier").map(s -> s.toLowerCase(Locale.ROOT))
                .filter(org.vmgrid.api.ImageDescriptor::isUuid)
                .orElseThrow(() -> new ImageListException("the list's dc:identifier is missing or not a UUID"));
        Instant expires = date(list, "dc:date:expires")
                .orElseThrow(() -> new ImageListException("the list has no dc:date:expires; an image list must expire"));
        Optional<Instant> created = date(list, "dc:date:created");
        URI uri = text(list, "hv:uri").map(u -> ImageEntryValidator.fetchUri(u, "the list's hv:uri"))
                .orElse(source.toAbsolutePath().toUri());
        JsonNode images = list.get("hv:images");
        if (images == null || !images.isArray()) {
            throw new ImageListException("the list has no \"hv:images\" array");
        }
        List<ImageStatus> out = new ArrayList<>();
        int index = 0;
        for (JsonNode wrapper : images) {
            out.add(entries.validate(wrapper, ++index, uri, expires, aliasesByUuid));
        }
        return new ParsedList(id, created, expires, text(list, "hv:version").map(Printable::of).orElse(""), uri,
                ImageEntryValidator.refuseDuplicates(out));
    }

    static Optional<String> text(JsonNode obj, String field) {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual() && !n.isNumber()) {
            throw new ImageListException(field + " must be a string");
        }
        return Optional.of(n.asText());
    }

    private static Optional<Instant> date(JsonNode obj, String field) {
        Optional<String> t = text(obj, field);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(t.get()).toInstant());
        } catch (DateTimeParseException e) {
            throw new ImageListException(field + " '" + Printable.of(t.get())
                    + "' is not an ISO 8601 date and time with offset (e.g. 2027-01-31T00:00:00Z)", e);
        }
    }
}
