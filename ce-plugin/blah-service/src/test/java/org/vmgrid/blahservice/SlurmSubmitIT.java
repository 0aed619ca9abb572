package org.vmgrid.blahservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.Lrms;
import org.vmgrid.blahservice.BlahHookHarness.Blah;
import org.vmgrid.config.PolicySection;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.testing.LoopbackSlurm;

/**
 * End to end on the CE: BLAH's hook contract, then the resulting script submitted to a real
 * single-node SLURM started here. The job lands with the VM-capable feature, the VM's memory plus
 * overhead, its CPUs, one vmslot GRES and the image reference in its comment.
 */
class SlurmSubmitIT {

    @TempDir
    static Path dir;
    private static LoopbackSlurm slurm;
    private static BlahHookHarness blah;
    /** The hook service with the example site's policy.properties: vo.dteam.images = debian-test, vo.atlas.images = *. */
    private static BlahHookHarness policed;

    @BeforeAll
    static void start() throws Exception {
        // munged runs as user munge and must reach its socket and key below the temporary directory
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        blah = BlahHookHarness.withoutVoPolicy(dir.resolve("ce"));
        PolicySection example = new PolicySection(Map.of("atlas", List.of("*"), "dteam", List.of("debian-test")), true);
        policed = new BlahHookHarness(Files.createDirectories(dir.resolve("ce-policy")), TestRenderers.admission(
                new FixedCatalog(), BlahHookHarness.LIMITS, example, Map.of("debian-test", TestImages.UUID)));
        slurm = new LoopbackSlurm(Files.createDirectories(dir.resolve("slurm")));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (slurm != null) {
                slurm.close();
            }
        } finally {
            if (blah != null) {
                blah.close();
            }
            if (policed != null) {
                policed.close();
            }
        }
    }

    /** The submit script BLAH makes: its own header, the hook's stdout appended, then the job wrapper. */
    private static Path submitScript(String name, String hookOutput) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/bash\n# BLAH-style submit script\n#SBATCH -J " + name + "\n" + hookOutput
                + "\n# job wrapper\ntrue\n");
        return p;
    }

    private static String showJob(String id) {
        CommandResult r = slurm.slurm("scontrol", "show", "job", "-d", id);
        assertEquals(0, r.exitCode(), r.stderrText());
        return r.stdoutText();
    }

    @Test
    void vmJobLandsOnAVmCapableNodeWithItsImageReference() throws Exception {
        BlahHookHarness.HookRun hook = blah.run(Blah.HTCONDOR_BLAHP, Lrms.SLURM,
                "Queue='grid'\nx509UserProxySubject='/DC=org/CN=someone'\n"
                        + BlahHookHarness.vmRequest(TestImages.UUID, 2048, 2, "outbound"));
        assertEquals(0, hook.exitCode(), hook.stderr());
        CommandResult sub = slurm.sbatch(submitScript("vmjob", hook.stdout()));
        assertEquals(0, sub.exitCode(), sub.stderrText());
        String job = showJob(sub.stdoutText().trim());
        assertTrue(job.contains("Features=vmgrid "), job);
        assertTrue(job.contains("MinMemoryNode=2304M"), job);
        assertTrue(job.contains("CPUs/Task=2"), job);
        assertTrue(job.contains("TresPerNode=gres:vmslot:1"), job);
        assertTrue(job.contains("Comment=vmgrid:image=" + TestImages.UUID + ",mem=2048,cpus=2,net=outbound"), job);
        assertTrue(job.contains("NodeList=" + LoopbackSlurm.NODE) || job.contains("JobState=PENDING"), job);
    }

    @Test
    void plainJobIsSubmittedUnchanged() throws Exception {
        BlahHookHarness.HookRun hook = blah.run(Blah.HTCONDOR_BLAHP, Lrms.SLURM, BlahHookHarness.requestFile(Map.of("Queue", "grid"),
                Map.of("GlueHostApplicationSoftwareRunTimeEnvironment", List.of("\"VO-ops-tag\""))));
        assertEquals("", hook.stdout());
        CommandResult sub = slurm.sbatch(submitScript("plainjob", hook.stdout()));
        assertEquals(0, sub.exitCode(), sub.stderrText());
        String job = showJob(sub.stdoutText().trim());
        assertTrue(job.contains("Features=(null)"), job);
        assertTrue(job.contains("Comment=(null)") || !job.contains("Comment="), job);
    }

    @Test
    void jobNamingAnImageTheSiteCannotRunIsNotSubmitted() throws Exception {
        BlahHookHarness.HookRun hook = blah.run(Blah.HTCONDOR_BLAHP, Lrms.SLURM,
                BlahHookHarness.vmRequest(TestImages.OTHER_UUID, 2048, 1, "none"));
        assertTrue(hook.stderr().contains("unknown image " + TestImages.OTHER_UUID), hook.stderr());
        CommandResult sub = slurm.sbatch(submitScript("refusedjob", hook.stdout()));
        assertNotEquals(0, sub.exitCode());
        assertTrue(sub.stderrText().contains("--vmgrid-refused=image-not-usable"), sub.stderrText());
    }

    private static String passedIdentity(String vo) {
        return "x509UserProxySubject='/DC=org/CN=someone'\n" + BlahHookHarness.passedIdentity(vo);
    }

    @Test
    void siteVoPolicyAdmitsDteamAndKeepsCmsOut() throws Exception {
        String vm = BlahHookHarness.vmRequest(TestImages.UUID, 1024, 1, "none");
        BlahHookHarness.HookRun dteam = policed.run(Blah.HTCONDOR_BLAHP, Lrms.SLURM, passedIdentity("dteam") + vm);
        assertEquals("", dteam.stderr());
        CommandResult ok = slurm.sbatch(submitScript("dteamjob", dteam.stdout()));
        assertEquals(0, ok.exitCode(), ok.stderrText());
        assertTrue(showJob(ok.stdoutText().trim()).contains("Comment=vmgrid:image=" + TestImages.UUID), dteam.stdout());

        BlahHookHarness.HookRun cms = policed.run(Blah.HTCONDOR_BLAHP, Lrms.SLURM, passedIdentity("cms") + vm);
        assertTrue(cms.stderr().contains("VO cms may use no VM image at this site"), cms.stderr());
        CommandResult refused = slurm.sbatch(submitScript("cmsjob", cms.stdout()));
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.stderrText().contains("--vmgrid-refused=vo-not-allowed"), refused.stderrText());

        BlahHookHarness.HookRun unknown = policed.run(Blah.HTCONDOR_BLAHP, Lrms.SLURM, vm);
        assertTrue(unknown.stderr().contains("VO is not known"), unknown.stderr());
        assertNotEquals(0, slurm.sbatch(submitScript("novojob", unknown.stdout())).exitCode());
    }
}
