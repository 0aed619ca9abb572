package org.vmgrid.pilot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.config.PilotSection;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.internal.domain.DomainXmlEncoderTest;

class PilotServiceTest {

    @Test
    void withLibvirtUnreachableTheServiceStartsAndEachJobFailsWithTheReason(@TempDir Path dir) {
        SiteConfig b = SiteConfig.builtIn();
        PilotSection p = new PilotSection("qemu", "qemu+unix:///system?socket=/nonexistent/vmgrid-sock",
                dir.resolve("cache"), 1 << 30, 1, 60, dir.resolve("state"), dir.resolve("acct.jsonl"), Optional.empty());
        SiteConfig config = new SiteConfig(b.directory(), b.site(), b.limits(), b.images(), b.policy(), p, b.files());
        CommandRunner commands = mock(CommandRunner.class);
        PilotService service = new PilotService(config, commands, mock(org.vmgrid.api.ImageCatalog.class));
        PilotJob job = new PilotJob("j-1", new VmRequest(DomainXmlEncoderTest.IMAGE_FOR_TESTS, 128, 1, NetworkMode.NONE,
                ""), List.of("true"), Map.of(), dir, Duration.ofSeconds(5));
        JobOutcome o = service.run(job, new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.HOST), o.failure());
        assertTrue(o.reason().contains("/nonexistent/vmgrid-sock"), o.reason());
        service.cancel("j-1");
        service.deactivate();
        verifyNoInteractions(commands);
    }
}
