package org.vmgrid.arc;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.config.SiteConfig;

/** The example site's configuration with a mocked catalogue: one usable image, alias debian-test. */
final class ArcTestSite {

    static final String UUID = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";
    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC);
    static final Path EXAMPLE_SITE = Path.of("../../config-examples/site");

    private ArcTestSite() {
    }

    static ImageDescriptor image() {
        return new ImageDescriptor(UUID, "test appliance", "1", URI.create("file:///var/lib/vmgrid/test.qcow2"), 2752512,
                "ab".repeat(64), URI.create("file:///etc/vmgrid/imagelists/list.json"),
                Instant.parse("2036-11-01T00:00:00Z"), List.of("debian-test"));
    }

    static ImageCatalog catalog() {
        ImageCatalog c = mock(ImageCatalog.class);
        when(c.resolve(anyString())).thenAnswer(inv -> {
            String ref = inv.getArgument(0);
            return ref.equals(UUID) || ref.equals("debian-test") ? ImageResolution.found(image())
                    : ImageResolution.notUsable("unknown image " + ref + "; no trusted image list of this site lists it");
        });
        when(c.usableImages()).thenReturn(List.of(image()));
        return c;
    }

    static ArcAdmission admission() {
        return ArcAdmission.forSite(SiteConfig.load(EXAMPLE_SITE), catalog(), NOW);
    }
}
