package org.vmgrid.appliance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ImageListWriterTest {

    private static final String SHA = "0123456789abcdef".repeat(8);
    private static final UUID ID = ContentUuid.ofSha512(SHA);
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private static JsonNode render(URI uri) throws Exception {
        return new ObjectMapper().readTree(ImageListWriter.render(ID, SHA, 10354688L, uri, "6.1.0-56-amd64", CREATED));
    }

    @Test
    void describesTheImageInTheHepixShape() throws Exception {
        JsonNode list = render(URI.create("file:///var/lib/vmgrid/vmgrid-test-appliance.qcow2")).get("hv:imagelist");
        assertEquals("2026-01-01T00:00:00Z", list.get("dc:date:created").asText());
        assertEquals("2036-01-01T00:00:00Z", list.get("dc:date:expires").asText());
        assertEquals(ContentUuid.nameBased(ID, "imagelist").toString(), list.get("dc:identifier").asText());
        assertEquals(1, list.get("hv:images").size());
        JsonNode image = list.get("hv:images").get(0).get("hv:image");
        assertEquals(ID.toString(), image.get("dc:identifier").asText());
        assertEquals(SHA, image.get("sl:checksum:sha512").asText());
        assertEquals(10354688L, image.get("hv:size").asLong());
        assertEquals("file:///var/lib/vmgrid/vmgrid-test-appliance.qcow2", image.get("hv:uri").asText());
        assertEquals("qcow2", image.get("hv:format").asText());
        assertEquals(2, image.get("vmgrid:guestcontract").asInt(), "the appliance's agent speaks guest contract 2");
    }

    @Test
    void anAwkwardPathStaysOneValidUri() throws Exception {
        URI uri = Path.of("/tmp/a \"quoted\" dir\\ü/img.qcow2").toUri();
        JsonNode image = render(uri).get("hv:imagelist").get("hv:images").get(0).get("hv:image");
        assertEquals(uri, URI.create(image.get("hv:uri").asText()));
        assertEquals(Path.of("/tmp/a \"quoted\" dir\\ü/img.qcow2"), Path.of(URI.create(image.get("hv:uri").asText())));
    }

    @Test
    void escapesEveryCharacterJsonForbids() throws Exception {
        String nasty = "a\"b\\c\nd\u0000e\u2028";
        assertEquals(nasty, new ObjectMapper().readTree(ImageListWriter.json(nasty)).asText());
    }

    @Test
    void wantsAnAbsoluteFileUri() {
        assertThrows(IllegalArgumentException.class, () -> render(URI.create("https://example.org/x.qcow2")));
    }
}
