package org.vmgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdlCheckCommandTest {

    static final String SITE = Path.of("../../config-examples/site").toAbsolutePath().normalize().toString();
    static final String LIST = SITE + "/imagelists/example-unsigned.json";
    static final String UUID = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";

    @TempDir
    Path dir;

    private String write(String name, String jdl) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, jdl);
        return p.toString();
    }

    @Test
    void anAcceptedVmJobPrintsTheRequestAndTheDirectives() throws IOException {
        String f = write("vm.jdl", "[ Executable = \"/bin/hostname\";\n  VirtualMachine = [ Image = \"debian-test\"; Memory = 2048; ];\n]");
        MainTest.Result r = MainTest.run("jdl", "check", f, "--config-dir", SITE, "--vo", "dteam");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains(": accepted: VM job"), r.out());
        assertTrue(r.out().contains("#SBATCH --comment=vmgrid:image=" + UUID + ",mem=2048,cpus=1,net=none"), r.out());
        assertTrue(r.out().contains("#SBATCH --mem=2304M"), r.out());
    }

    /** The example site (a SLURM site) with {@code vm.batch.systems} set to {@code ready}. */
    private String exampleSiteDeclaring(String ready) throws IOException {
        Path site = dir.resolve("site");
        try (var files = Files.walk(Path.of(SITE))) {
            for (Path f : files.toList()) {
                Path to = site.resolve(Path.of(SITE).relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path props = site.resolve("site.properties");
        String text = Files.readString(props);
        assertTrue(text.contains("\nvm.batch.systems = slurm\n"), text);
        Files.writeString(props, text.replace("\nvm.batch.systems = slurm\n", "\nvm.batch.systems = " + ready + "\n"));
        return site.toString();
    }

    @Test
    void aVmJobForABatchSystemWhoseWorkerNodesTheSiteHasNotDeclaredReadyIsRefused() throws IOException {
        String f = write("vm.jdl", "[ Executable = \"x\"; VirtualMachine = [ Image = \"debian-test\" ]; ]");
        MainTest.Result r = MainTest.run("jdl", "check", f, "--config-dir", SITE, "--vo", "dteam", "--lrms", "condor", "--json");
        assertEquals(ExitCodes.REFUSED, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("{\"verdict\":\"refused\",\"reason\":\"this site's condor worker nodes are not declared "
                + "ready for VM jobs (vm.batch.systems of site.properties: slurm)"), r.out());
        assertTrue(r.out().contains("\"vm\":null,\"directives\":[]}"), r.out());
        MainTest.Result plain = MainTest.run("jdl", "check", write("plain.jdl", "[ Executable = \"x\"; ]"), "--config-dir", SITE,
                "--lrms", "condor");
        assertEquals(ExitCodes.OK, plain.code(), "a plain job goes to any batch system: " + plain.out());
    }

    @Test
    void jsonCarriesVerdictReasonVmAndDirectivesForTheChosenLrms() throws IOException {
        String f = write("vm.jdl", "Executable = \"x\"; CeRequirements = \"Member(\\\"VM-IMAGE-" + UUID
                + "\\\", other.GlueHostApplicationSoftwareRunTimeEnvironment)\";");
        MainTest.Result r = MainTest.run("jdl", "check", f, "--config-dir", exampleSiteDeclaring("slurm, condor"), "--vo", "atlas",
                "--lrms", "condor", "--json");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String out = r.out().trim();
        assertTrue(out.startsWith("{\"verdict\":\"accepted\",\"reason\":\"\",\"lrms\":\"condor\",\"vm\":{\"image\":\"" + UUID
                + "\",\"sha512\":\"b2f1a3c4"), out);
        assertTrue(out.contains("\"memory\":1024,\"cpus\":1,\"network\":\"none\""), out);
        assertTrue(out.endsWith("\"+VmgridNetwork = \\\"none\\\"\",\"+VmgridJobWrapper = \\\"cream\\\"\"]}"), out);
    }

    @Test
    void aRefusedJobExitsOneWithTheReason() throws IOException {
        String f = write("big.jdl", "[ Executable = \"x\"; VirtualMachine = [ Image = \"debian-test\"; Memory = 65536 ]; ]");
        MainTest.Result r = MainTest.run("jdl", "check", f, "--config-dir", SITE, "--vo", "dteam", "--json");
        assertEquals(ExitCodes.REFUSED, r.code());
        assertTrue(r.out().startsWith("{\"verdict\":\"refused\",\"reason\":\"VirtualMachine.Memory = 65536 MiB is outside"),
                r.out());
        assertTrue(r.out().contains("\"vm\":null,\"directives\":[]}"), r.out());
    }

    @Test
    void aMalformedJdlExitsTwoNamingTheLine() throws IOException {
        String f = write("bad.jdl", "[\n  Executable = \"a\"\n  Arguments = \"b\";\n]");
        MainTest.Result r = MainTest.run("jdl", "check", f, "--config-dir", SITE);
        assertEquals(ExitCodes.MALFORMED, r.code());
        assertTrue(r.out().contains(": malformed: the JDL is not valid: line 3, column 3: expected ';' or ']'"), r.out());
    }

    @Test
    void aPlainJobIsAccepted() throws IOException {
        String f = write("plain.jdl", "[ Executable = \"/bin/true\"; ]");
        MainTest.Result r = MainTest.run("jdl", "check", f, "--config-dir", SITE, "--json");
        assertEquals(ExitCodes.OK, r.code());
        assertEquals("{\"verdict\":\"accepted\",\"reason\":\"\",\"lrms\":\"slurm\",\"vm\":null,\"directives\":[]}\n",
                r.out().replace("\r\n", "\n"));
    }

    @Test
    void catalogOptionReplacesTheSiteListsAndUnsignedListsNeedTheFlag() throws IOException {
        String f = write("vm.jdl", "[ Executable = \"x\"; VirtualMachine = [ Image = \"" + UUID + "\" ]; ]");
        MainTest.Result trusted = MainTest.run("jdl", "check", f, "--catalog", LIST, "--trust-unsigned", "--json");
        assertEquals(ExitCodes.OK, trusted.code(), trusted.out() + trusted.err());
        assertTrue(trusted.out().contains("\"memory\":2048"), "built-in default memory: " + trusted.out());
        MainTest.Result untrusted = MainTest.run("jdl", "check", f, "--catalog", LIST);
        assertEquals(ExitCodes.REFUSED, untrusted.code(), untrusted.out());
        assertTrue(untrusted.err().contains("is not usable"), untrusted.err());
    }

    @Test
    void withoutVoOptionTheJdlsVirtualOrganisationIsAssumedAndSaidSo() throws IOException {
        String f = write("cms.jdl", "[ Executable = \"x\"; VirtualOrganisation = \"cms\"; VirtualMachine = [ Image = \"debian-test\" ]; ]");
        MainTest.Result cms = MainTest.run("jdl", "check", f, "--config-dir", SITE);
        assertEquals(ExitCodes.REFUSED, cms.code());
        assertTrue(cms.err().contains("assuming VO cms from the JDL's VirtualOrganisation"), cms.err());
        assertTrue(cms.out().contains("refused: VO cms may use no VM image at this site"), cms.out());
        // --vo is the proxy's VO, as CREAM's authorization gives it: a JDL naming another is refused, as by the CE
        MainTest.Result forged = MainTest.run("jdl", "check", f, "--config-dir", SITE, "--vo", "dteam");
        assertEquals(ExitCodes.REFUSED, forged.code());
        assertTrue(forged.out().contains("VirtualOrganisation \"cms\" is not the VO of your proxy (dteam)"), forged.out());
        String dteam = write("dteam.jdl", "[ Executable = \"x\"; VirtualMachine = [ Image = \"debian-test\" ]; ]");
        assertEquals(ExitCodes.OK, MainTest.run("jdl", "check", dteam, "--config-dir", SITE, "--vo", "dteam").code());
    }

    @Test
    void aFileCreamWouldRefuseIsNotAnAcceptedJob() throws IOException {
        for (String jdl : List.of("", "[ ]", "[ Type = \"dag\"; Nodes = [ a = [ file = \"a.jdl\"; ]; ]; ]")) {
            MainTest.Result r = MainTest.run("jdl", "check", write("cream-refuses.jdl", jdl), "--config-dir", SITE);
            assertEquals(ExitCodes.MALFORMED, r.code(), jdl);
            assertTrue(r.out().contains(": malformed: the job description "), r.out());
        }
    }

    @Test
    void badOptionsAndFilesAreUsageOrConfigErrors() {
        assertEquals(ExitCodes.USAGE, MainTest.run("jdl", "check", "x.jdl", "--lrms", "torque").code());
        assertEquals(ExitCodes.USAGE, MainTest.run("jdl", "check", "x.jdl", "--vo", "bad vo;").code());
        assertEquals(ExitCodes.USAGE, MainTest.run("jdl", "check", dir.resolve("missing.jdl").toString(),
                "--config-dir", SITE).code());
        assertEquals(ExitCodes.CONFIG, MainTest.run("jdl", "check", "x.jdl", "--config-dir", "/nonexistent/vmgrid").code());
        assertEquals(ExitCodes.USAGE, MainTest.run("jdl").code());
    }
}
