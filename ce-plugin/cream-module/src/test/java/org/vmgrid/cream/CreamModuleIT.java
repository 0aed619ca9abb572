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
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.Value;

/**
 * The built vmgrid.mar engaged in a real Axis2 engine in front of a stand-in CREAM2 JobRegister,
 * with the example site configuration (its image list, limits; no VO policy, see
 * docs/install-cream.md): what CREAM receives, or the fault the user gets.
 */
class CreamModuleIT {

    static final String UUID = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";
    static final String VM_TERMS_2048 = "Member(\"VM-IMAGE-" + UUID + "\", other.GlueHostApplicationSoftwareRunTimeEnvironment)"
            + " && other.VmgridMemory == 2048 && other.VmgridCPUs == 1 && other.VmgridNetwork == \"none\"";

    @TempDir
    static Path dir;
    static EmbeddedCream ce;

    @BeforeAll
    static void start() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Path examples = Path.of(System.getProperty("vmgrid.config.examples", "../../config-examples/site"));
        ExampleSite.copy(examples, site);
        Files.delete(site.resolve("policy.properties"));
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

    private static String ceRequirements(String jdl) {
        ClassAd ad = Jdl.parse(jdl);
        return ((Value.Str) Jdl.evaluate(ad, "CERequirements")).value();
    }

    @Test
    void plainJobReachesCreamUntouched() throws Exception {
        String jdl = "[ Executable = \"/bin/hostname\"; StdOutput = \"out\"; // a comment\n"
                + "  CERequirements = \"other.GlueCEStateStatus == \\\"Production\\\"\"; ]";
        assertEquals(1, EmbeddedCream.jobIds(ce.jobRegister(List.of(new Description("plain-1", jdl)))).size());
        assertEquals(List.of(new StandInCream2.Received("plain-1", jdl)), ce.cream().received());
    }

    @Test
    void acceptedVmJobTravelsOnWithItsRequestInCeRequirements() throws Exception {
        String jdl = "[ Executable = \"/bin/true\"; VirtualMachine = [ Image = \"debian-test\"; Memory = 2048; ];\n"
                + "  CERequirements = \"other.GlueCEStateStatus == \\\"Production\\\" || other.GlueCEInfoTotalCPUs > 8\"; ]";
        ce.jobRegister(List.of(new Description("vm-1", jdl)));
        StandInCream2.Received got = ce.cream().received().get(0);
        assertEquals("vm-1", got.id());
        assertEquals("(other.GlueCEStateStatus == \"Production\" || other.GlueCEInfoTotalCPUs > 8) && " + VM_TERMS_2048,
                ceRequirements(got.jdl()));
        ClassAd sent = Jdl.parse(jdl);
        ClassAd received = Jdl.parse(got.jdl());
        assertEquals(sent.with("CERequirements", received.get("CERequirements").get()), received,
                "only CERequirements changes");
    }

    @Test
    void tagFormKeepsTheUsersOtherTermsAndNamesTheImageByUuid() throws Exception {
        String jdl = "[ Executable = \"/bin/true\"; CeRequirements = \"other.GlueCEStateStatus == \\\"Production\\\" && "
                + "Member(\\\"VM-IMAGE-debian-test\\\", other.GlueHostApplicationSoftwareRunTimeEnvironment)\"; ]";
        ce.jobRegister(List.of(new Description("vm-2", jdl)));
        String req = ceRequirements(ce.cream().received().get(0).jdl());
        assertEquals("other.GlueCEStateStatus == \"Production\" && " + VM_TERMS_2048.replace("2048", "1024"), req);
        assertTrue(ce.cream().received().get(0).jdl().contains("CeRequirements ="), "the user's spelling is kept");
    }

    @Test
    void refusedJobIsAnsweredWithAFaultTheUserCanActOn() {
        String jdl = "[ Executable = \"/bin/true\"; VirtualMachine = [ Image = \"no-such-image\"; ]; ]";
        AxisFault f = assertThrows(AxisFault.class, () -> ce.jobRegister(List.of(new Description("j-refused", jdl))));
        assertTrue(f.getMessage().startsWith("vmgrid refused 1 of 1 job description(s); nothing was registered"),
                f.getMessage());
        assertTrue(f.getMessage().contains("job description 1 (jobDescriptionId \"j-refused\")"), f.getMessage());
        assertTrue(f.getMessage().contains("no-such-image"), f.getMessage());
        assertEquals(List.of(), ce.cream().received());
    }

    @Test
    void malformedJdlFaultNamesLineAndColumn() {
        String jdl = "[ Executable = \"/bin/true\";\n  Arguments = \"unterminated; ]";
        AxisFault f = assertThrows(AxisFault.class, () -> ce.jobRegister(List.of(new Description("j-bad", jdl))));
        assertTrue(f.getMessage().contains("line 2"), f.getMessage());
        assertEquals(List.of(), ce.cream().received());
    }

    @Test
    void oneBadDescriptionFailsTheWholeCallAndNamesOnlyItself() {
        String ok = "[ Executable = \"/bin/true\"; ]";
        String bad = "[ Executable = \"/bin/true\"; VirtualMachine = [ Image = \"debian-test\"; Memory = 999999; ]; ]";
        AxisFault f = assertThrows(AxisFault.class, () -> ce.jobRegister(List.of(new Description("a", ok),
                new Description("b", bad), new Description("c", ok))));
        assertTrue(f.getMessage().contains("vmgrid refused 1 of 3"), f.getMessage());
        assertTrue(f.getMessage().contains("job description 2 (jobDescriptionId \"b\")"), f.getMessage());
        assertTrue(!f.getMessage().contains("\"a\"") && !f.getMessage().contains("\"c\""), f.getMessage());
        assertEquals(List.of(), ce.cream().received());
    }

    @Test
    void aBatchOfGoodDescriptionsIsRegisteredInOrder() throws Exception {
        String plain = "[ Executable = \"/bin/true\"; ]";
        String vm = "[ Executable = \"/bin/true\"; VirtualMachine = [ Image = \"" + UUID + "\"; Memory = 2048; ]; ]";
        assertEquals(2, EmbeddedCream.jobIds(ce.jobRegister(List.of(new Description("p", plain),
                new Description("v", vm)))).size());
        List<StandInCream2.Received> got = ce.cream().received();
        assertEquals(plain, got.get(0).jdl());
        assertEquals(VM_TERMS_2048, ceRequirements(got.get(1).jdl()));
    }

    /** Hostile JDLs: each is refused, or passes with exactly the site's VM terms for BLAH to unwind. */
    @Test
    void hostileJdlNeverReachesTheHooksUnchecked() throws Exception {
        String tag = "GlueHostApplicationSoftwareRunTimeEnvironment";
        List<String> corpus = List.of(
                "[ VirtualMachine = [ Image = \"$(reboot)\"; ]; ]",
                "[ VirtualMachine = [ Image = \"debian-test\\\"; Memory = 1\"; ]; ]",
                "[ VirtualMachine = [ Image = \"debian-test\"; Memory = \"2048; rm -rf /\"; ]; ]",
                "[ VirtualMachine = [ Image = \"debian-test\"; Network = \"outbound\\n#SBATCH --uid=0\"; ]; ]",
                "[ VirtualMachine = [ Image = \"debian-test\"; CPUs = -1; ]; ]",
                "[ CERequirements = \"other.VmgridMemory == \\\"$(reboot)\\\"\"; ]",
                "[ CERequirements = \"other.A == 1 || Member(\\\"VM-IMAGE-debian-test\\\", other." + tag + ")\"; ]",
                "[ CERequirements = \"Member(\\\"VM-IMAGE-debian-test\\\", other." + tag + ") && other.VmgridCPUs == 64\"; ]",
                "[ CERequirements = \"Member(\\\"VM-IMAGE-debian-test\\\", other." + tag + ") && "
                        + "Member(\\\"VM-IMAGE-" + UUID.replace('3', '4') + "\\\", other." + tag + ")\"; ]",
                "[ VirtualMachine = [ Image = \"debian-test\"; ]; CERequirements = \"Member(\\\"VM-IMAGE-other\\\", other."
                        + tag + ")\"; ]",
                "[ VirtualMachine = [ Image = \"debian-test\"; ]; CERequirements = \"other.VmgridNetwork_x > 1 && other.vmgridmemory < 5\"; ]",
                "[ VirtualMachine = [ Image = \"debian-test\"; ]; CERequirements = \"x) || (true\"; ]",
                "[ VirtualMachine = [ Image = \"debian-test\"; ]; CERequirements = \"other.Q == \\\"';touch /tmp/PWN;'\\\"\"; ]",
                "[ Executable = \"" + "A".repeat(2 << 20) + "\"; ]");
        for (String jdl : corpus) {
            ce.cream().clear();
            String what = jdl.length() > 200 ? jdl.substring(0, 200) : jdl;
            try {
                ce.jobRegister(List.of(new Description("hostile<&>\"'", jdl)));
            } catch (AxisFault refused) {
                assertEquals(List.of(), ce.cream().received(), what);
                assertTrue(refused.getMessage().startsWith("vmgrid refused 1 of 1"), what + ": " + refused.getMessage());
                continue;
            }
            String received = ce.cream().received().get(0).jdl();
            List<BlahUnwinder.Assignment> vmVariables = BlahUnwinder.unwind(ceRequirements(received)).stream()
                    .filter(a -> a.name().toLowerCase(java.util.Locale.ROOT).startsWith("vmgrid")
                            || a.value().toUpperCase(java.util.Locale.ROOT).startsWith("VM-IMAGE-"))
                    .toList();
            assertEquals(List.of(new BlahUnwinder.Assignment(tag + "[0]", "VM-IMAGE-" + UUID),
                    new BlahUnwinder.Assignment("VmgridMemory", "1024"), new BlahUnwinder.Assignment("VmgridCPUs", "1"),
                    new BlahUnwinder.Assignment("VmgridNetwork", "none")), vmVariables, what);
        }
    }
}
