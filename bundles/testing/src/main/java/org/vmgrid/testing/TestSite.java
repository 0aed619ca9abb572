package org.vmgrid.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** One site configuration of its own for a test: conf dir, image list, cache, state, accounting. */
public final class TestSite {

    public final Path root;
    public final Path conf;
    public final Path cache;
    public final Path state;
    public final Path accounting;

    /** A site whose one image is a qcow2 (the appliance). */
    public TestSite(Path root, String libvirtUri, int bootTimeout, URI imageUri, String uuid, long size, String sha512)
            throws IOException {
        this(root, libvirtUri, bootTimeout, imageUri, uuid, size, sha512, "qcow2");
    }

    /** A site whose one image has the format its list gives as {@code format}. */
    public TestSite(Path root, String libvirtUri, int bootTimeout, URI imageUri, String uuid, long size, String sha512,
            String format) throws IOException {
        this.root = root;
        this.conf = Files.createDirectories(root.resolve("conf"));
        this.cache = root.resolve("cache");
        this.state = root.resolve("state");
        this.accounting = root.resolve("accounting.jsonl");
        Files.writeString(conf.resolve("pilot.properties"), "hypervisor = qemu\nlibvirt.uri = " + libvirtUri
                + "\ncache.dir = " + cache + "\ncache.max.bytes = 1073741824\nslots = 4\nboot.timeout = " + bootTimeout
                + "\nstate.dir = " + state + "\naccounting.file = " + accounting + "\n");
        Files.writeString(conf.resolve("limits.properties"), "memory.default = 128\n");
        Path list = conf.resolve("imagelist.json");
        Files.writeString(conf.resolve("images.properties"), "catalogs = " + list + "\ntrust.unsigned = true\n");
        Files.writeString(list, imageList(uuid, imageUri, size, sha512, format));
        Files.createDirectories(root.resolve("work"));
        Unprivileged.own(root);
    }

    public Path work() {
        return root.resolve("work");
    }

    public static String imageList(String uuid, URI uri, long size, String sha512) {
        return imageList(uuid, uri, size, sha512, "qcow2");
    }

    public static String imageList(String uuid, URI uri, long size, String sha512, String format) {
        return imageList(UUID.randomUUID().toString(), Instant.parse("2036-01-01T00:00:00Z"),
                List.of(new ListedImage(uuid, uri, size, sha512, format)));
    }

    /** One image of a list: what the pilot fetches and checks it against. */
    public record ListedImage(String uuid, URI uri, long size, String sha512, String format) {
    }

    /**
     * An unsigned HEPiX image list of these images; a list of the same {@code listId} read again
     * revokes the images it no longer names.
     */
    public static String imageList(String listId, Instant expires, List<ListedImage> images) {
        return """
            {"hv:imagelist": {
              "dc:identifier": "%s",
              "dc:title": "vmgrid pilot IT", "dc:description": "written by the test",
              "dc:date:created": "2026-01-01T00:00:00Z", "dc:date:expires": "%s",
              "hv:version": "1",
              "hv:images": [%s]}}
            """.formatted(listId, expires, images.stream().map(i -> """
                {"hv:image": {
                "dc:identifier": "%s", "dc:title": "appliance", "dc:description": "test", "hv:version": "1",
                "hv:format": "%s", "hv:hypervisor": "QEMU,KVM", "hv:size": %d, "hv:uri": "%s",
                "sl:arch": "x86_64", "sl:os": "Linux", "sl:osname": "Debian", "sl:checksum:sha512": "%s"}}"""
                .formatted(i.uuid(), i.format(), i.size(), i.uri(), i.sha512())).collect(Collectors.joining(",")));
    }
}
