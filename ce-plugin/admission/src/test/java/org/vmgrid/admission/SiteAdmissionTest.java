package org.vmgrid.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.Admission;
import org.vmgrid.api.JobContext;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.Verdict;
import org.vmgrid.api.VmRequest;
import org.vmgrid.config.SiteConfig;

class SiteAdmissionTest {

    static final Clock NOW = Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC);
    static final Path EXAMPLE_SITE = Path.of(System.getProperty("vmgrid.examples", "../../config-examples/site"));
    static final JobContext DTEAM = new JobContext(Optional.of("dteam"), List.of(), Lrms.SLURM);

    private final SiteAdmission site = new SiteAdmission(SiteConfig.load(EXAMPLE_SITE), TestCatalog.catalog(), NOW);
    private final SiteAdmission builtIn = new SiteAdmission(SiteConfig.builtIn(), TestCatalog.catalog(), NOW);

    static String vm(String record) {
        return "[ Executable = \"/bin/hostname\"; StdOutput = \"out\"; VirtualMachine = [ " + record + " ]; ]";
    }

    static String tag(String requirements) {
        return "[ Executable = \"run.sh\"; CeRequirements = \"" + requirements.replace("\"", "\\\"") + "\"; ]";
    }

    static String member(String image) {
        return "Member(\"VM-IMAGE-" + image + "\", other.GlueHostApplicationSoftwareRunTimeEnvironment)";
    }

    static void assertVerdict(Verdict verdict, String reasonPart, Admission a) {
        assertEquals(verdict, a.verdict(), a.reason());
        assertTrue(a.reason().contains(reasonPart), "reason '" + a.reason() + "' lacks '" + reasonPart + "'");
    }

    @Test
    void aPlainJobIsAcceptedWithoutVmOrDirectives() {
        Admission a = site.admit("[ Executable = \"/bin/true\"; CeRequirements = \"other.GlueCEPolicyMaxCPUTime > 5\"; ]", DTEAM);
        assertEquals(Admission.plainJob(), a);
    }

    @Test
    void theRecordFormTakesSiteDefaultsForWhatItLeavesOut() {
        Admission a = site.admit(vm("Image = \"" + TestCatalog.UUID + "\";"), DTEAM);
        assertEquals(Verdict.ACCEPTED, a.verdict(), a.reason());
        VmRequest vm = a.vm().orElseThrow();
        assertEquals(TestCatalog.UUID, vm.image().uuid());
        assertEquals(1024, vm.memoryMiB());
        assertEquals(1, vm.cpus());
        assertEquals(NetworkMode.NONE, vm.network());
        assertEquals("#SBATCH --mem=1280M", a.directives().get(1));
    }

    @Test
    void userDataTheBatchSystemCannotCarryToTheNodeRefusesTheJobRatherThanRunItWithout() {
        Admission a = site.admit("[ Executable = \"x\"; VirtualMachine = [ Image = \"debian-test\"; "
                + "userdata = \"#cloud-config\"; ]; ]", DTEAM);
        assertEquals(Verdict.REFUSED, a.verdict(), a.reason());
        assertTrue(a.reason().contains("user data is not carried to the worker node"), a.reason());
        assertEquals(List.of(), a.directives());
    }

    @Test
    void theRecordFormIgnoresCaseAndEvaluatesExpressions() {
        Admission a = site.admit("[ Executable = \"x\"; virtualmachine = [ IMAGE = \"debian-test\"; memory = 1024 * 2; cpus = 1 + 1; "
                + "NETWORK = \"Outbound\"; ]; ]", DTEAM);
        assertEquals(Verdict.ACCEPTED, a.verdict(), a.reason());
        VmRequest vm = a.vm().orElseThrow();
        assertEquals(2048, vm.memoryMiB());
        assertEquals(2, vm.cpus());
        assertEquals(NetworkMode.OUTBOUND, vm.network());
        assertEquals("#SBATCH --comment=vmgrid:image=" + TestCatalog.UUID + ",mem=2048,cpus=2,net=outbound",
                a.directives().get(4));
    }

    @Test
    void theTagFormInCeRequirementsOrRequirementsMeansTheSame() {
        Admission a = site.admit(tag(member("debian-test") + " && other.GlueCEPolicyMaxWallClockTime > 60"), DTEAM);
        assertEquals(Verdict.ACCEPTED, a.verdict(), a.reason());
        assertEquals(TestCatalog.UUID, a.vm().orElseThrow().image().uuid());
        Admission b = site.admit("[ Executable = \"x\"; requirements = other.GlueCEStateStatus == \"Production\" && "
                + member(TestCatalog.UUID.toUpperCase()) + "; ]", DTEAM);
        assertEquals(a, b);
        assertEquals(a, site.admit(vm("Image = \"" + TestCatalog.UUID + "\";"), DTEAM));
    }

    @Test
    void bothFormsTogetherMustNameTheSameImage() {
        String agree = "[ Executable = \"x\"; VirtualMachine = [ Image = \"" + TestCatalog.UUID + "\" ]; CeRequirements = \""
                + member("debian-test").replace("\"", "\\\"") + "\"; ]";
        assertEquals(Verdict.ACCEPTED, site.admit(agree, DTEAM).verdict());
        String disagree = "[ Executable = \"x\"; VirtualMachine = [ Image = \"" + TestCatalog.UUID + "\" ]; CeRequirements = \""
                + member("other").replace("\"", "\\\"") + "\"; ]";
        assertVerdict(Verdict.REFUSED, "name different images", site.admit(disagree, DTEAM));
        assertVerdict(Verdict.REFUSED, "2 different VM images",
                site.admit(tag(member("debian-test") + " && " + member("other")), DTEAM));
    }

    @Test
    void aTagThatIsNotRequiredIsMalformed() {
        for (String req : List.of(member("debian-test") + " || true", "!" + member("debian-test"),
                "x ? " + member("debian-test") + " : true", "Member(\"VM-IMAGE-debian-test\", other.Something)")) {
            assertVerdict(Verdict.MALFORMED, "joined to the rest with &&", site.admit(tag(req), DTEAM));
        }
    }

    @Test
    void imagesTheCatalogueCannotServeAreRefusedWithItsReason() {
        assertVerdict(Verdict.REFUSED, "unknown image 22222222-2222-4333-8444-555555555555",
                site.admit(vm("Image = \"22222222-2222-4333-8444-555555555555\";"), DTEAM));
        assertVerdict(Verdict.REFUSED, "revoked", site.admit(vm("Image = \"" + TestCatalog.REVOKED_UUID + "\";"), DTEAM));
        SiteAdmission expired = new SiteAdmission(SiteConfig.load(EXAMPLE_SITE),
                TestCatalog.catalog(Instant.parse("2026-01-01T00:00:00Z")), NOW);
        assertVerdict(Verdict.REFUSED, "expired on 2026-01-01T00:00:00Z",
                expired.admit(vm("Image = \"debian-test\";"), DTEAM));
    }

    @Test
    void votePolicyDecidesWhoMayUseWhichImage() {
        assertVerdict(Verdict.REFUSED, "VO dteam may not use image other at this site; it may use: debian-test",
                site.admit(vm("Image = \"other\";"), DTEAM));
        JobContext atlas = new JobContext(Optional.empty(), List.of("/atlas/Role=production"), Lrms.SLURM);
        assertEquals(Verdict.ACCEPTED, site.admit(vm("Image = \"other\";"), atlas).verdict());
        assertVerdict(Verdict.REFUSED, "VO cms may use no VM image",
                site.admit(vm("Image = \"debian-test\";"), new JobContext(Optional.of("cms"), List.of(), Lrms.SLURM)));
        assertVerdict(Verdict.REFUSED, "VO is not known",
                site.admit(vm("Image = \"debian-test\";"), new JobContext(Optional.empty(), List.of(), Lrms.SLURM)));
        assertEquals(Verdict.ACCEPTED, builtIn.admit(vm("Image = \"other\";"),
                new JobContext(Optional.empty(), List.of(), Lrms.SLURM)).verdict());
    }

    @Test
    void limitsAreEnforcedWithWhatToAskForInstead() {
        assertVerdict(Verdict.REFUSED, "ask for at most 4096", site.admit(vm("Image = \"debian-test\"; Memory = 8192;"), DTEAM));
        assertVerdict(Verdict.REFUSED, "ask for at least 96", site.admit(vm("Image = \"debian-test\"; Memory = 64;"), DTEAM));
        assertVerdict(Verdict.REFUSED, "ask for at most 2", site.admit(vm("Image = \"debian-test\"; CPUs = 3;"), DTEAM));
        assertVerdict(Verdict.REFUSED, "ask for at least 1", site.admit(vm("Image = \"debian-test\"; CPUs = 0;"), DTEAM));
        assertVerdict(Verdict.REFUSED, "ask for \"none\" or stage data through the sandbox",
                builtIn.admit(vm("Image = \"debian-test\"; Network = \"outbound\";"), DTEAM));
        assertVerdict(Verdict.REFUSED, "UserData is 16385 bytes; this site accepts at most 16384",
                site.admit(vm("Image = \"debian-test\"; UserData = \"" + "x".repeat(16385) + "\";"), DTEAM));
        assertVerdict(Verdict.REFUSED, "ask for at most 4",
                builtIn.admit(vm("Image = \"debian-test\"; CPUs = 9999999999;"), DTEAM));
    }

    @Test
    void malformedRequestsSayWhatToWrite() {
        assertVerdict(Verdict.MALFORMED, "line 1, column 20", site.admit("[ Executable = \"a\" x ]", DTEAM));
        assertVerdict(Verdict.MALFORMED, "names no image; add Image =", site.admit(vm("Memory = 1024;"), DTEAM));
        assertVerdict(Verdict.MALFORMED, "must be a record", site.admit("[ Executable = \"x\"; VirtualMachine = \"debian-test\"; ]", DTEAM));
        assertVerdict(Verdict.MALFORMED, "unknown attribute Memroy; it knows Image, Memory, CPUs, Network, UserData",
                site.admit(vm("Image = \"debian-test\"; Memroy = 1;"), DTEAM));
        assertVerdict(Verdict.MALFORMED, "Memory must be a whole number of MiB, such as 2048; it is a string",
                site.admit(vm("Image = \"debian-test\"; Memory = \"2G\";"), DTEAM));
        assertVerdict(Verdict.MALFORMED, "Network must be \"none\" or \"outbound\"; it is \"bridged\"",
                site.admit(vm("Image = \"debian-test\"; Network = \"bridged\";"), DTEAM));
        assertVerdict(Verdict.MALFORMED, "Image must be a string", site.admit(vm("Image = 42;"), DTEAM));
        assertVerdict(Verdict.MALFORMED, "CeRequirements holds no valid expression (at column 7 of its string): expected an attribute name after 'other.'",
                site.admit("[ Executable = \"x\"; CeRequirements = \"other.(\"; ]", DTEAM));
    }

    @Test
    void aDescriptionCreamWouldRefuseIsNeverAnAcceptedJob() {
        assertVerdict(Verdict.MALFORMED, "the job description is empty", site.admit("[ ]", DTEAM));
        assertVerdict(Verdict.MALFORMED, "the job description is empty", site.admit("", DTEAM));
        assertVerdict(Verdict.MALFORMED, "has no Executable", site.admit("[ Type = \"dag\"; Nodes = [ a = [ file = \"a.jdl\"; ]; ]; ]", DTEAM));
        assertVerdict(Verdict.MALFORMED, "has no Executable", site.admit("[ VirtualMachine = [ Image = \"debian-test\"; ]; ]", DTEAM));
        assertEquals(Verdict.ACCEPTED, site.admit("[ executable = \"x\"; ]", DTEAM).verdict());
    }

    @Test
    void anAttributeBlahWouldWriteAsACommandIsRefusedForEveryJob() {
        // the JDL library reads no quoted attribute names, so such a term is malformed before the name check
        assertVerdict(Verdict.MALFORMED, "CeRequirements holds no valid expression",
                site.admit(tag("other.'x;touch blah-injection-canary;y' == 1"), DTEAM));
        assertVerdict(Verdict.MALFORMED, "CeRequirements holds no valid expression",
                site.admit(tag(member("debian-test") + " && (other.'a b' == 1 || true)"), DTEAM));
    }

    @Test
    void termsOnlyTheSiteWritesAreRefusedAnywhereInCeRequirements() {
        for (String req : List.of("other.VmgridMemory == 4096", "other.GlueHostMainMemoryRAMSize > 1 || other.vmgridcpus > 1",
                "other.x509UserProxyFQAN == \"/dteam\"", "!(other.VirtualOrganisation == \"cms\")",
                "other.Foo.vmgridNetwork == \"outbound\"", "Member(\"dteam\", other.virtualorganisation)",
                "other.X509UserProxySubject == \"/CN=x\"", "other.VirtualOrganisation_Min > 1")) {
            assertVerdict(Verdict.REFUSED, "which only the site sets for an admitted VM job", site.admit(tag(req), DTEAM));
            assertVerdict(Verdict.REFUSED, "which only the site sets",
                    site.admit(tag(member("debian-test") + " && (" + req + ")"), DTEAM));
        }
    }

    @Test
    void noJobMayNameTheShellsOwnVariables() {
        for (String name : List.of("FUNCNEST", "PATH", "IFS", "BASH_ENV", "ENV", "POSIXLY_CORRECT", "BASH_ARGV0", "UID",
                "SHELLOPTS", "OPTIND", "TMOUT")) {
            assertVerdict(Verdict.REFUSED, "names the attribute " + name + ", named like a variable of the shell",
                    site.admit(tag(member("debian-test") + " && other." + name + " == 1"), DTEAM));
            assertVerdict(Verdict.REFUSED, "names the attribute " + name + ", named like a variable of the shell",
                    site.admit(tag("other." + name + " == 1 || other.GlueCEStateStatus == \"Production\""), DTEAM));
        }
        assertEquals(Admission.plainJob(), site.admit(tag("other.Path == \"x\" && other.GlueHostMainMemoryRAMSize >= 2000"),
                DTEAM));
        assertEquals(Verdict.ACCEPTED, site.admit(tag(member("debian-test") + " && other.GlueCEStateStatus == \"Production\""),
                DTEAM).verdict());
    }

    @Test
    void oneInstanceServesConcurrentJobsWithTheSameAnswers() throws Exception {
        List<String> jdls = List.of(vm("Image = \"debian-test\"; Memory = 2048;"), vm("Image = \"other\";"),
                vm("Memory = 1;"), tag(member("debian-test")), "[ Executable = \"x\"; ]", "[ broken");
        List<Admission> expected = jdls.stream().map(j -> site.admit(j, DTEAM)).toList();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        int k = i % jdls.size();
                        if (!site.admit(jdls.get(k), DTEAM).equals(expected.get(k))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> r : runs) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
