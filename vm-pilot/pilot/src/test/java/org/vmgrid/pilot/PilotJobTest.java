package org.vmgrid.pilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;

/** A job's id names its domain and state directory: what it may be. */
class PilotJobTest {

    private static PilotJob job(String id) {
        ImageDescriptor image = new ImageDescriptor("11111111-2222-4333-8444-555555555555", "t", "1",
                URI.create("file:///i"), 1, "a".repeat(128), URI.create("file:///l"),
                Instant.parse("2030-01-01T00:00:00Z"), List.of());
        return new PilotJob(id, new VmRequest(image, 128, 1, NetworkMode.NONE, ""), List.of("true"), Map.of(),
                Path.of("/w"), Duration.ofSeconds(1));
    }

    @Test
    void aJobMayNotTakeTheNamesOfTheGoldenSnapshotsBuilds() {
        for (String id : List.of("golden-0123456789abcdef-0", "Golden-x", "GOLDEN-")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> job(id), id);
            assertTrue(e.getMessage().contains("must not start with 'golden-'"), e.getMessage());
        }
    }

    @Test
    void ordinaryIdsAndIdsMerelyContainingGoldenAreJobs() {
        for (String id : List.of("pilot-3f8b5c2e", "golden", "goldenrod-1", "my-golden-1", "a")) {
            assertEquals(id, job(id).jobId());
        }
    }

    @Test
    void idsThatCouldEscapeTheStateDirectoryAreRefused() {
        for (String id : List.of("", "../x", "a/b", ".hidden", "a b", "x".repeat(65))) {
            assertThrows(IllegalArgumentException.class, () -> job(id), id);
        }
    }
}
