package org.vmgrid.admission;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;

/** A mocked catalogue with one usable image (alias debian-test) and one revoked image. */
final class TestCatalog {

    static final String UUID = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";
    static final String OTHER_UUID = "11111111-2222-4333-8444-555555555555";
    static final String REVOKED_UUID = "99999999-2222-4333-8444-555555555555";
    static final String SHA512 = "ab".repeat(64);
    static final Instant EXPIRES = Instant.parse("2036-11-01T00:00:00Z");

    private TestCatalog() {
    }

    static ImageDescriptor image(String uuid, Instant expires) {
        return new ImageDescriptor(uuid, "test appliance", "1", URI.create("file:///var/lib/vmgrid/test.qcow2"), 2752512,
                SHA512, URI.create("file:///etc/vmgrid/imagelists/list.json"), expires, List.of("debian-test"));
    }

    static ImageCatalog catalog() {
        return catalog(EXPIRES);
    }

    static ImageCatalog catalog(Instant expires) {
        ImageCatalog c = mock(ImageCatalog.class);
        when(c.resolve(anyString())).thenAnswer(inv -> {
            String ref = inv.getArgument(0);
            if (ref.equals(UUID) || ref.equals("debian-test")) {
                return ImageResolution.found(image(UUID, expires));
            }
            if (ref.equals(OTHER_UUID) || ref.equals("other")) {
                return ImageResolution.found(image(OTHER_UUID, expires));
            }
            if (ref.equals(REVOKED_UUID)) {
                return ImageResolution.notUsable("image " + ref + " was revoked: it is no longer listed in list.json");
            }
            return ImageResolution.notUsable("unknown image " + ref + "; no trusted image list of this site lists it");
        });
        return c;
    }
}
