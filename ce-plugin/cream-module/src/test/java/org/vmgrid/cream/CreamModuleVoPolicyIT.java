package org.vmgrid.cream;

import org.vmgrid.testing.ExampleSite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.axis2.AxisFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.cream.EmbeddedCream.Description;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.Value;

/**
 * The built vmgrid.mar in a real Axis2 engine with the example site configuration, its
 * {@code policy.properties} included ({@code vo.dteam.images = debian-test}, {@code vo.atlas.images = *}):
 * the submitter's VO from the JDL's VirtualOrganisation, or from CREAM's authorization (the stand-in
 * handler's {@code user.vo}), decides.
 */
class CreamModuleVoPolicyIT {

    static final String VM = "VirtualMachine = [ Image = \"debian-test\"; ];";

    @TempDir
    static Path dir;
    static EmbeddedCream ce;

    @BeforeAll
    static void start() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Path examples = Path.of(System.getProperty("vmgrid.config.examples", "../../config-examples/site"));
        ExampleSite.copy(examples, site);
        assertTrue(Files.readString(site.resolve("policy.properties")).contains("vo.dteam.images = debian-test"));
        ce = new EmbeddedCream(dir, site);
    }

    @AfterAll
    static void stop() throws Exception {
        if (ce != null) {
            ce.close();
        }
    }

    @BeforeEach
    void clear() {
        ce.cream().clear();
    }

    private static String jdl(String vo) {
        return "[ Executable = \"/bin/true\"; " + (vo == null ? "" : "VirtualOrganisation = \"" + vo + "\"; ") + VM + " ]";
    }

    private static String requirement(String jdl) {
        return ((Value.Str) Jdl.evaluate(Jdl.parse(jdl), "CERequirements")).value();
    }

    private static String refusal(String jdl, String authenticatedVo) {
        AxisFault f = assertThrows(AxisFault.class,
                () -> ce.jobRegister(List.of(new Description("j", jdl)), authenticatedVo));
        assertEquals(List.of(), ce.cream().received(), jdl);
        return f.getMessage();
    }

    @Test
    void dteamMayUseItsImage() throws Exception {
        ce.jobRegister(List.of(new Description("dteam-1", jdl("dteam"))));
        assertTrue(requirement(ce.cream().received().get(0).jdl()).startsWith("Member(\"VM-IMAGE-" + CreamModuleIT.UUID));
    }

    @Test
    void cmsIsRefusedWithThePolicysReason() {
        String reason = refusal(jdl("cms"), null);
        assertTrue(reason.contains("VO cms may use no VM image at this site"), reason);
    }

    @Test
    void aVmJobWithoutVoIsToldToSetVirtualOrganisation() {
        String reason = refusal(jdl(null), null);
        assertTrue(reason.contains("set VirtualOrganisation"), reason);
    }

    @Test
    void creamsAuthenticatedVoIsPreferredAndAJdlClaimingAnotherIsRefused() throws Exception {
        ce.jobRegister(List.of(new Description("auth-1", jdl(null))), "dteam");
        assertEquals(1, ce.cream().received().size());
        ce.cream().clear();
        String cms = refusal(jdl(null), "cms");
        assertTrue(cms.contains("VO cms may use no VM image at this site"), cms);
        String forged = refusal(jdl("dteam"), "cms");
        assertTrue(forged.contains("VirtualOrganisation \"dteam\" is not the VO of your proxy (cms)"), forged);
    }

    @Test
    void aPlainJobPassesUntouchedWhateverItsVo() throws Exception {
        String plain = "[ Executable = \"/bin/true\"; VirtualOrganisation = \"cms\"; ]";
        ce.jobRegister(List.of(new Description("plain", plain)));
        assertEquals(List.of(new StandInCream2.Received("plain", plain)), ce.cream().received());
    }

    /** Hostile VOs and attempts to set, through CERequirements, the identity BLAH passes to the hooks. */
    @Test
    void hostileVosAndForgedIdentityTermsAreRefused() {
        List<String> corpus = List.of(
                jdl("dteam\\\"; ]; [ x = \\\"1"), jdl("dteam\\n#SBATCH --uid=0"), jdl("$(touch /tmp/PWN)"), jdl("dteam cms"),
                jdl("`id`"), jdl("d\u00e9team"), jdl("/dteam/Role=NULL"), jdl("x".repeat(200)), jdl(""),
                "[ Executable = \"/bin/true\"; VirtualOrganisation = other.VirtualOrganisation; " + VM + " ]",
                "[ Executable = \"/bin/true\"; VirtualOrganisation = { \"dteam\" }; " + VM + " ]",
                "[ VirtualOrganisation = \"cms\"; " + VM + " CERequirements = \"other.VirtualOrganisation == \\\"dteam\\\"\"; ]",
                "[ VirtualOrganisation = \"dteam\"; " + VM + " CERequirements = \"Member(\\\"dteam\\\", other.VirtualOrganisation)\"; ]",
                "[ VirtualOrganisation = \"dteam\"; " + VM
                        + " CERequirements = \"other.x509UserProxyFQAN == \\\"/atlas/Role=production\\\"\"; ]",
                "[ VirtualOrganisation = \"dteam\"; " + VM + " CERequirements = \"other.X509USERPROXYSUBJECT == \\\"/CN=x\\\"\"; ]",
                "[ VirtualOrganisation = \"dteam\"; CERequirements = \"Member(\\\"VM-IMAGE-debian-test\\\", other.GlueHost"
                        + "ApplicationSoftwareRunTimeEnvironment) && other.virtualorganisation == \\\"atlas\\\"\"; ]");
        for (String jdl : corpus) {
            String reason = refusal(jdl, null);
            assertTrue(reason.startsWith("vmgrid refused 1 of 1"), jdl + ": " + reason);
            assertTrue(!reason.contains("\n") && !reason.contains("PWN\n"), reason);
        }
    }
}
