package org.vmgrid.blahservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.Lrms;

/**
 * Each hook's output for the same admitted VM request (image, 2048 MiB, 2 CPUs, outbound; the site
 * reserves 256 MiB of overhead), through BLAH's contract, against a golden file per batch system;
 * plus what every hook does without a VM request, for a refused image, and without the service.
 */
class BlahHookGoldenIT {

    @TempDir
    static Path dir;
    private static BlahHookHarness blah;

    @BeforeAll
    static void start() throws IOException {
        blah = BlahHookHarness.withoutVoPolicy(dir.resolve("ce"));
    }

    @AfterAll
    static void stop() {
        if (blah != null) {
            blah.close();
        }
    }

    private static String golden(Lrms lrms) throws IOException {
        try (InputStream in = BlahHookGoldenIT.class.getResourceAsStream("/golden/" + lrms.keyword() + ".out")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyHookPrintsItsGoldenDirectives() throws IOException {
        for (Lrms lrms : Lrms.values()) {
            BlahHookHarness.HookRun run = blah.run(lrms, "Queue='grid'\nVirtualOrganisation='ops'\n"
                    + BlahHookHarness.vmRequest(TestImages.UUID, 2048, 2, "outbound"));
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals(golden(lrms), run.stdout(), lrms.keyword());
            assertEquals("", run.stderr(), lrms.keyword());
        }
    }

    @Test
    void noVmRequestNoOutputFromAnyHook() throws IOException {
        String plain = BlahHookHarness.requestFile(Map.of("Queue", "grid", "GlueCEPolicyMaxCPUTime_Min", "60"),
                Map.of("GlueHostApplicationSoftwareRunTimeEnvironment", List.of("VO-ops-sw", "VM-CAPABLE")));
        for (Lrms lrms : Lrms.values()) {
            BlahHookHarness.HookRun run = blah.run(lrms, plain);
            assertEquals("", run.stdout(), lrms.keyword());
            assertEquals("", run.stderr(), lrms.keyword());
            assertEquals(0, run.exitCode());
        }
    }

    @Test
    void refusedImageGivesTheRefusalAndTheReason() throws IOException {
        for (Lrms lrms : Lrms.values()) {
            BlahHookHarness.HookRun run = blah.run(lrms, BlahHookHarness.vmRequest(TestImages.OTHER_UUID, 1024, 1, "none"));
            assertEquals(String.join("\n", Refusal.IMAGE_NOT_USABLE.directives(lrms)) + "\n", run.stdout());
            assertTrue(run.stderr().contains("unknown image " + TestImages.OTHER_UUID), run.stderr());
        }
    }

    @Test
    void withoutTheServiceOrWithAnUntrustedInstallationEveryVmJobIsRefused() throws IOException {
        Path common = blah.home().resolve("blah/vmgrid-hook-common.sh");
        String vm = BlahHookHarness.vmRequest(TestImages.UUID, 1024, 1, "none");
        for (Lrms lrms : Lrms.values()) {
            String refusal = String.join("\n", Refusal.SERVICE_UNAVAILABLE.directives(lrms)) + "\n";
            assertEquals(refusal, blah.run(lrms, vm, Map.of("VMGRID_HOOK_SOCKET", dir.resolve("none.sock").toString()))
                    .stdout());
            assertEquals(refusal, blah.run(lrms, vm, Map.of("VMGRID_HOME", dir.resolve("missing").toString())).stdout());
            Files.setPosixFilePermissions(common, PosixFilePermissions.fromString("rw-rw-rw-"));
            try {
                assertEquals(refusal, blah.run(lrms, vm).stdout());
            } finally {
                Files.setPosixFilePermissions(common, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
    }
}
