package org.vmgrid.blahservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.Lrms;
import org.vmgrid.blahservice.BlahHookHarness.Blah;

/**
 * Each hook's output for the same admitted VM request (image, 2048 MiB, 2 CPUs, outbound; the site
 * reserves 256 MiB of overhead), through BLAH's contract as each BLAH runs it, against a golden file
 * per batch system; plus what every hook does without a VM request and for a refused image.
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
    void everyHookPrintsItsGoldenDirectivesHoweverBlahRunsIt() throws IOException {
        for (Blah how : Blah.SUPPORTED) {
            for (Lrms lrms : Lrms.values()) {
                BlahHookHarness.HookRun run = blah.run(how, lrms, "Queue='grid'\nVirtualOrganisation='ops'\n"
                        + BlahHookHarness.vmRequest(TestImages.UUID, 2048, 2, "outbound"));
                assertEquals(0, run.exitCode(), run.stderr());
                assertEquals(golden(lrms), run.stdout(), how + " " + lrms.keyword());
                if (how == Blah.HTCONDOR_BLAHP) {
                    assertEquals("", run.stderr(), lrms.keyword());
                }
            }
        }
    }

    @Test
    void noVmRequestNoOutputFromAnyHook() throws IOException {
        String plain = BlahHookHarness.requestFile(Map.of("Queue", "grid", "GlueCEPolicyMaxCPUTime_Min", "60"),
                Map.of("GlueHostApplicationSoftwareRunTimeEnvironment", List.of("\"VO-ops-sw\"", "\"VM-CAPABLE\"")));
        for (Blah how : Blah.SUPPORTED) {
            for (Lrms lrms : Lrms.values()) {
                BlahHookHarness.HookRun run = blah.run(how, lrms, plain);
                assertEquals("", run.stdout(), lrms.keyword());
                assertEquals(0, run.exitCode());
                if (how == Blah.HTCONDOR_BLAHP) {
                    assertEquals("", run.stderr(), lrms.keyword());
                }
            }
        }
    }

    @Test
    void refusedImageGivesTheRefusalAndTheReason() throws IOException {
        for (Blah how : Blah.SUPPORTED) {
            for (Lrms lrms : Lrms.values()) {
                BlahHookHarness.HookRun run = blah.run(how, lrms,
                        BlahHookHarness.vmRequest(TestImages.OTHER_UUID, 1024, 1, "none"));
                assertEquals(String.join("\n", Refusal.IMAGE_NOT_USABLE.directives(lrms)) + "\n", run.stdout());
                assertEquals(0, run.exitCode());
                if (how == Blah.HTCONDOR_BLAHP) {
                    assertTrue(run.stderr().contains("unknown image " + TestImages.OTHER_UUID), run.stderr());
                }
            }
        }
    }
}
