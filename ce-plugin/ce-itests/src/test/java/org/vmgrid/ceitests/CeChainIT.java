package org.vmgrid.ceitests;

import org.vmgrid.testing.ExampleSite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.apache.axis2.AxisFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.Lrms;
import org.vmgrid.admission.SiteAdmission;
import org.vmgrid.blahservice.BlahHookHarness;
import org.vmgrid.blahservice.BlahHookHarness.Blah;
import org.vmgrid.blahservice.HookAdmission;
import org.vmgrid.testing.LoopbackSlurm;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.cream.BlahUnwinder;
import org.vmgrid.cream.EmbeddedCream;
import org.vmgrid.cream.EmbeddedCream.Description;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.Value;

/**
 * The whole CE path with one site configuration: a JDL sent to the Axis2 endpoint (vmgrid.mar in a
 * real Axis2 engine before a stand-in CREAM2), the JDL CREAM receives unwound as BLAH does into the
 * request file, the SLURM hook sourced after it and answered by the hook service, the submit script
 * submitted to a real loopback SLURM: the job lands on the VM-capable node with its image reference.
 */
class CeChainIT {

    static final String IMAGE = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";

    @TempDir
    static Path dir;
    static EmbeddedCream ce;
    static BlahHookHarness blah;
    static LoopbackSlurm slurm;

    @BeforeAll
    static void start() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path site = Files.createDirectories(dir.resolve("site"));
        Path examples = Path.of(System.getProperty("vmgrid.config.examples"));
        ExampleSite.copy(examples, site);
        assertTrue(Files.readString(site.resolve("policy.properties")).contains("vo.dteam.images = debian-test"));
        // every batch system's worker nodes ready: the round trip below goes through each one's hook
        Path props = site.resolve("site.properties");
        String text = Files.readString(props);
        assertTrue(text.contains("\nvm.batch.systems = slurm\n"), text);
        Files.writeString(props, text.replace("\nvm.batch.systems = slurm\n", "\nvm.batch.systems = slurm, pbs, sge, lsf, condor\n"));
        SiteConfig config = SiteConfig.load(site);
        ce = new EmbeddedCream(Files.createDirectories(dir.resolve("cream")), site);
        blah = new BlahHookHarness(Files.createDirectories(dir.resolve("blah")), HookAdmission.forSite(config,
                new CatalogLoader(Clock.systemUTC()).load(CatalogSources.from(config.images())), Clock.systemUTC()));
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
            if (ce != null) {
                ce.close();
            }
        }
    }

    /** BLAH's request file: a few of CREAM's attributes, then the unwound CERequirements, last. */
    private static String requestFile(String jdl) {
        return requestFile(jdl, "dteam");
    }

    /**
     * BLAH's request file for a user of {@code vo}: the attributes blah.config's
     * blah_pass_submit_attributes passes (as docs/install-cream.md tells a site), in BLAH's forms,
     * then the unwound CERequirements, last, as BLAH's unwinder writes it (ClassAd strings quoted).
     */
    private static String requestFile(String jdl, String vo) {
        String req = ((Value.Str) Jdl.evaluate(Jdl.parse(jdl), "CERequirements")).value();
        return BlahHookHarness.passedIdentity(vo) + BlahUnwinder.requestFile(req);
    }

    private static CommandResult submit(String name, String hookOutput) throws Exception {
        Path script = dir.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/bash\n#SBATCH -J " + name + "\n" + hookOutput + "\ntrue\n");
        return slurm.sbatch(script);
    }

    @Test
    void aVmJobSentToCreamLandsOnAVmCapableNodeWithItsImage() throws Exception {
        String jdl = "[ Executable = \"/bin/true\"; VirtualOrganisation = \"dteam\";"
                + " VirtualMachine = [ Image = \"debian-test\"; Memory = 2048; CPUs = 2; Network = \"outbound\"; ]; CERequirements = \"other.GlueCEStateStatus == \\\"Production\\\"\"; ]";
        ce.cream().clear();
        ce.jobRegister(List.of(new Description("chain-1", jdl)));
        BlahHookHarness.HookRun hook = blah.run(Blah.HTCONDOR_BLAHP, Lrms.SLURM, requestFile(ce.cream().received().get(0).jdl()));
        assertEquals("", hook.stderr());
        CommandResult sub = submit("chain1", hook.stdout());
        assertEquals(0, sub.exitCode(), sub.stderrText());
        String job = slurm.slurm("scontrol", "show", "job", "-d", sub.stdoutText().trim()).stdoutText();
        assertTrue(job.contains("Features=vmgrid "), job);
        assertTrue(job.contains("MinMemoryNode=2304M"), job);
        assertTrue(job.contains("CPUs/Task=2"), job);
        assertTrue(job.contains("TresPerNode=gres:vmslot:1"), job);
        assertTrue(job.contains("Comment=vmgrid:image=" + IMAGE + ",mem=2048,cpus=2,net=outbound"), job);
    }

    @Test
    void aRefusedJobNeverReachesCreamAndAPlainOneRunsPlain() throws Exception {
        AxisFault f = assertThrows(AxisFault.class, () -> ce.jobRegister(List.of(new Description("chain-2",
                "[ Executable = \"/bin/true\"; VirtualMachine = [ Image = \"debian-test\"; CPUs = 16; ]; ]"))));
        assertTrue(f.getMessage().contains("jobDescriptionId \"chain-2\""), f.getMessage());
        ce.cream().clear();
        String plain = "[ Executable = \"/bin/true\"; CERequirements = \"other.GlueCEStateStatus == \\\"Production\\\"\"; ]";
        ce.jobRegister(List.of(new Description("chain-3", plain)));
        List<org.vmgrid.cream.StandInCream2.Received> got = ce.cream().received();
        assertEquals("chain-3", got.get(0).id());
        BlahHookHarness.HookRun hook = blah.run(Blah.HTCONDOR_BLAHP, Lrms.SLURM, requestFile(got.get(0).jdl()));
        assertEquals("", hook.stdout());
        CommandResult sub = submit("chain3", hook.stdout());
        assertEquals(0, sub.exitCode(), sub.stderrText());
        assertTrue(slurm.slurm("scontrol", "show", "job", sub.stdoutText().trim()).stdoutText().contains("Features=(null)"));
    }

    @Test
    void anImageDroppedFromTheListAfterAdmissionIsNotRunWithoutItsVm() throws Exception {
        String request = BlahHookHarness.passedIdentity("dteam")
                + BlahHookHarness.vmRequest("00000000-0000-4000-8000-00000000dead", 1024, 1, "none");
        CommandResult sub = submit("chain4", blah.run(Blah.HTCONDOR_BLAHP, Lrms.SLURM, request).stdout());
        assertNotEquals(0, sub.exitCode());
        assertTrue(sub.stderrText().contains("--vmgrid-refused=image-not-usable"), sub.stderrText());
    }

    /** The example site's policy (vo.dteam.images = debian-test) on both paths: CREAM's module and BLAH's hook. */
    @Test
    void aVoThePolicyDoesNotNameIsRefusedByCreamAndByTheHook() throws Exception {
        String cms = "[ Executable = \"/bin/true\"; VirtualOrganisation = \"cms\"; VirtualMachine = [ Image = \"debian-test\"; ];"
                + " ]";
        AxisFault f = assertThrows(AxisFault.class, () -> ce.jobRegister(List.of(new Description("chain-5", cms))));
        assertTrue(f.getMessage().contains("VO cms may use no VM image at this site"), f.getMessage());
        // the same request reaching BLAH (e.g. admitted before the policy changed): the hook refuses it too
        ce.cream().clear();
        ce.jobRegister(List.of(new Description("chain-6", cms.replace("\"cms\"", "\"dteam\""))));
        String admitted = ce.cream().received().get(0).jdl();
        BlahHookHarness.HookRun hook = blah.run(Blah.HTCONDOR_BLAHP, Lrms.SLURM, requestFile(admitted, "cms"));
        assertTrue(hook.stderr().contains("VO cms may use no VM image at this site"), hook.stderr());
        CommandResult sub = submit("chain6", hook.stdout());
        assertNotEquals(0, sub.exitCode());
        assertTrue(sub.stderrText().contains("--vmgrid-refused=vo-not-allowed"), sub.stderrText());
        BlahHookHarness.HookRun dteam = blah.run(Blah.HTCONDOR_BLAHP, Lrms.SLURM, requestFile(admitted, "dteam"));
        assertEquals("", dteam.stderr());
        CommandResult ok = submit("chain7", dteam.stdout());
        assertEquals(0, ok.exitCode(), ok.stderrText());
    }

    /** The test's unwinder writes, for each CERequirements of the contract, what BLAH's real one wrote. */
    @Test
    void theUnwinderOfTheseTestsWritesWhatBlahsRealUnwinderWrote() throws Exception {
        for (String name : List.of("plain-glue-min", "tag-only", "admitted", "admitted-fqan", "min-terms")) {
            String cereq = resource("/blah-requests/contract/" + name + ".cerequirements").strip();
            String real = resource("/blah-requests/contract/" + name + ".req").lines()
                    .filter(l -> !l.startsWith("VirtualOrganisation=") && !l.startsWith("x509UserProxyFQAN="))
                    .map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
            assertEquals(real, BlahUnwinder.requestFile(cereq), name);
        }
    }

    /**
     * The round trip: the CERequirements the Axis2 module wrote for an admitted job, unwound as BLAH
     * does (string values keep their ClassAd quotes), through every hook as every BLAH runs it, gives
     * exactly the directives the CE's admission rendered for that job.
     */
    @Test
    void theCesRewrittenRequirementsComeOutOfEveryHookAsTheAdmittedDirectives() throws Exception {
        SiteAdmission admission = new SiteAdmission(SiteConfig.load(dir.resolve("site")),
                new CatalogLoader(Clock.systemUTC()).load(CatalogSources.from(SiteConfig.load(dir.resolve("site")).images())),
                Clock.systemUTC());
        List<String> jdls = List.of(
                "[ Executable = \"/bin/true\"; VirtualMachine = [ Image = \"debian-test\"; Memory = 2048; CPUs = 2; Network = \"outbound\"; ]; ]",
                "[ Executable = \"/bin/true\"; CERequirements = \"member(\\\"vm-image-debian-test\\\", other.GlueHostApplicationSoftwareRunTimeEnvironment) && other.GlueCEStateStatus == \\\"Production\\\"\"; ]");
        for (String jdl : jdls) {
            ce.cream().clear();
            ce.jobRegister(List.of(new Description("round-trip", jdl)), "dteam");
            String request = requestFile(ce.cream().received().get(0).jdl());
            for (Blah how : Blah.SUPPORTED) {
                for (Lrms lrms : Lrms.values()) {
                    org.vmgrid.api.Admission a = admission.admit(jdl, new org.vmgrid.api.JobContext(java.util.Optional.of("dteam"),
                            List.of(), lrms));
                    assertEquals(org.vmgrid.api.Verdict.ACCEPTED, a.verdict(), a.reason());
                    BlahHookHarness.HookRun hook = blah.run(how, lrms, request);
                    assertEquals(String.join("\n", a.directives()) + "\n", hook.stdout(), how + " " + lrms + ":\n" + request);
                }
            }
        }
    }

    private static String resource(String name) throws java.io.IOException {
        try (java.io.InputStream in = CeChainIT.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
