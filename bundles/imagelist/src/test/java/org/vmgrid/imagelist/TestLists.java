package org.vmgrid.imagelist;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Builds HEPiX image list JSON for tests. */
public final class TestLists {

    public static final String LIST_ID = "9d1c2f3e-5b7a-4c8d-9e0f-a1b2c3d4e5f6";
    public static final String IMAGE_A = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";
    public static final String IMAGE_B = "0b0c6a52-6d43-4a57-bb1e-2c7f9a8d1e33";
    public static final String SHA_A = "a".repeat(128);
    public static final String SHA_B = "b".repeat(128);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode list = JSON.createObjectNode();
    private final ArrayNode images;

    private TestLists(String id, Instant created, Instant expires) {
        list.put("dc:identifier", id);
        list.put("dc:title", "test list");
        list.put("dc:date:created", created.toString());
        list.put("dc:date:expires", expires.toString());
        list.put("hv:uri", "https://lists.example.org/test.json");
        list.put("hv:version", "1");
        images = list.putArray("hv:images");
    }

    public static TestLists list(Instant created, Instant expires) {
        return new TestLists(LIST_ID, created, expires);
    }

    public static TestLists list(String id, Instant created, Instant expires) {
        return new TestLists(id, created, expires);
    }

    /** A well-formed image entry; returns it so that a test can spoil a field. */
    public ObjectNode image(String uuid, String sha512) {
        ObjectNode image = images.addObject().putObject("hv:image");
        image.put("dc:identifier", uuid);
        image.put("dc:title", "image " + uuid);
        image.put("hv:version", "2");
        image.put("hv:size", 2752512);
        image.put("hv:uri", "https://images.example.org/" + uuid + ".qcow2");
        image.put("sl:checksum:sha512", sha512);
        return image;
    }

    public ObjectNode header() {
        return list;
    }

    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.set("hv:imagelist", list);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] bytes() {
        return json().getBytes(StandardCharsets.UTF_8);
    }

    public Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }
}
