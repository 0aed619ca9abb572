package org.vmgrid.pilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.config.LimitsSection;
import org.vmgrid.config.PolicySection;
import org.vmgrid.decision.Asker;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.decision.VmLimits;
import org.vmgrid.decision.VoImagePolicy;

/** The worker node's door: what {@code vmgrid pilot run} asks, answered by the site decision. */
class LocalJobsTest {

    static final String UUID = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";

    @TempDir
    Path workdir;

    private final ImageCatalog catalog = new ImageCatalog() {
        @Override
        public ImageResolution resolve(String ref) {
            return ref.equals(UUID) ? ImageResolution.found(new ImageDescriptor(UUID, "t", "1", URI.create("file:///i"), 1,
                    "ab".repeat(64), URI.create("file:///l"), Instant.parse("2036-01-01T00:00:00Z"), List.of()))
                    : ImageResolution.notUsable("unknown image " + ref);
        }

        @Override
        public List<ImageDescriptor> usableImages() {
            return List.of();
        }
    };
    private final SiteDecision decision = new SiteDecision(catalog,
            new VoImagePolicy(new PolicySection(Map.of("atlas", List.of("*")), true), Map.of()),
            new VmLimits(new LimitsSection(1024, 2048, 1, 2, NetworkMode.NONE, 100, 128)),
            Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC));

    private PilotJob prepare(Asker asker, String image, OptionalInt memory) {
        return LocalJobs.prepare(decision, asker, image, memory, OptionalInt.empty(), Optional.empty(), workdir,
                Duration.ofSeconds(60), List.of("true"), Map.of());
    }

    @Test
    void theSiteDefaultsApplyAndALocalAccountIsNotHeldToTheVoPolicy() {
        PilotJob job = prepare(Asker.localAccount("alice"), UUID, OptionalInt.empty());
        assertEquals(1024, job.vm().memoryMiB());
        assertEquals(1, job.vm().cpus());
    }

    @Test
    void anAskerWithAVoIsHeldToTheVoPolicy() {
        PilotException e = assertThrows(PilotException.class,
                () -> prepare(Asker.grid(Optional.of("dteam"), List.of()), UUID, OptionalInt.empty()));
        assertEquals(FailureKind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("VO dteam may use no VM image at this site"), e.getMessage());
        assertEquals(UUID, prepare(Asker.grid(Optional.of("atlas"), List.of()), UUID, OptionalInt.empty()).vm().image().uuid());
    }

    @Test
    void refusalsSayWhichOptionAndWhy() {
        PilotException over = assertThrows(PilotException.class,
                () -> prepare(Asker.localAccount("alice"), UUID, OptionalInt.of(4096)));
        assertEquals(FailureKind.REFUSED, over.kind());
        assertTrue(over.getMessage().contains("--memory = 4096 MiB is outside what this site allows (96 to 2048 MiB)"),
                over.getMessage());
        PilotException unknown = assertThrows(PilotException.class,
                () -> prepare(Asker.localAccount("alice"), "debian-test", OptionalInt.empty()));
        assertEquals(FailureKind.IMAGE, unknown.kind());
        assertTrue(unknown.getMessage().contains("--image names image debian-test, which this site cannot run"),
                unknown.getMessage());
        assertEquals(FailureKind.IMAGE, assertThrows(PilotException.class,
                () -> prepare(Asker.localAccount("alice"), "../x", OptionalInt.empty())).kind());
    }
}
