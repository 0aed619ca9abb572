package org.vmgrid.decision;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;

/** A fixed catalogue: a usable image (alias debian-test), a second usable one, an expired one. */
final class Images implements ImageCatalog {

    static final String UUID = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";
    static final String OTHER = "11111111-2222-4333-8444-555555555555";
    static final String EXPIRED = "22222222-2222-4333-8444-555555555555";
    static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");

    private final Map<String, ImageDescriptor> images = Map.of(
            UUID, image(UUID, Instant.parse("2036-01-01T00:00:00Z"), List.of("debian-test")),
            OTHER, image(OTHER, Instant.parse("2036-01-01T00:00:00Z"), List.of()),
            EXPIRED, image(EXPIRED, Instant.parse("2026-01-01T00:00:00Z"), List.of()));

    static ImageDescriptor image(String uuid, Instant expires, List<String> aliases) {
        return new ImageDescriptor(uuid, "test", "1", URI.create("file:///images/" + uuid + ".qcow2"), 1024, "ab".repeat(64),
                URI.create("file:///etc/vmgrid/list.json"), expires, aliases);
    }

    @Override
    public ImageResolution resolve(String ref) {
        String uuid = ref.equals("debian-test") ? UUID : ref;
        ImageDescriptor d = images.get(uuid);
        return d == null ? ImageResolution.notUsable("unknown image " + ref + "; no trusted image list of this site lists it")
                : ImageResolution.found(d);
    }

    @Override
    public List<ImageDescriptor> usableImages() {
        return images.values().stream().toList();
    }
}
