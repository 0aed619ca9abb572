package org.vmgrid.blahservice;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.vmgrid.api.ImageDescriptor;

/** Image descriptors for tests. */
final class TestImages {

    static final String UUID = "c0ffee00-1234-4abc-8def-0123456789ab";
    static final String OTHER_UUID = "deadbeef-0000-4000-8000-000000000001";
    /** The image of the request files BLAH's unwinder wrote (src/test/resources/blah-requests). */
    static final String CONTRACT_UUID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    private TestImages() {
    }

    static ImageDescriptor image(String uuid) {
        return new ImageDescriptor(uuid, "test appliance", "1", URI.create("file:///images/test.qcow2"), 1024,
                "a".repeat(128), URI.create("file:///lists/test.json"), Instant.parse("2099-01-01T00:00:00Z"), List.of());
    }
}
