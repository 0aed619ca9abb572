package org.vmgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmgrid info} and {@code vmgrid find} through Main.run, on the shipped example site. */
class InfoCommandTest {

    private static final String EXAMPLE = "../../config-examples/site";

    @TempDir
    Path dir;

    @Test
    void ldifPublishesTheExampleSiteAndItsImage() {
        MainTest.Result r = MainTest.run("info", "ldif", "--config-dir", EXAMPLE);
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("GlueHostApplicationSoftwareRunTimeEnvironment: VM-IMAGE-3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47\n"), r.out());
        assertTrue(r.out().contains("GlueHostApplicationSoftwareRunTimeEnvironment: VM-IMAGE-debian-test\n"), r.out());
        assertTrue(r.out().contains("GLUE2ExecutionEnvironmentVirtualMachine: TRUE\n"), r.out());
    }

    @Test
    void xmlIsAGlue2Document() {
        MainTest.Result r = MainTest.run("info", "xml", "--config-dir", EXAMPLE);
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("<Domains xmlns=\"http://schemas.ogf.org/glue/2009/03/spec_2.0_r1\">"), r.out());
    }

    @Test
    void outputFileIsWrittenWhole() throws IOException {
        Path out = dir.resolve("site.ldif");
        MainTest.Result r = MainTest.run("info", "ldif", "--config-dir", EXAMPLE, "--output", out.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(Files.readString(out).startsWith("dn: GlueCEUniqueID="));
    }

    @Test
    void aBrokenConfigurationPrintsNothingAndSaysWhy() throws IOException {
        Files.writeString(dir.resolve("site.properties"), "ce.port = eighty\n");
        MainTest.Result r = MainTest.run("info", "ldif", "--config-dir", dir.toString());
        assertEquals(ExitCodes.CONFIG, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains("ce.port") && r.err().contains("nothing published"), r.err());
    }

    @Test
    void anUnreadableImageListPrintsNothing() throws IOException {
        Files.writeString(dir.resolve("images.properties"), "catalogs = missing.json\ntrust.unsigned = true\n");
        MainTest.Result r = MainTest.run("info", "ldif", "--config-dir", dir.toString());
        assertEquals(ExitCodes.TEMPFAIL, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains("missing.json"), r.err());
    }

    @Test
    void findRefusesAnAddressThatIsNotLdap() {
        MainTest.Result r = MainTest.run("find", "--bdii", "http://bdii.example.org:2170");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("ldap://HOST:PORT"), r.err());
    }

    @Test
    void findWithoutABdiiIsAUsageError() {
        assertEquals(ExitCodes.USAGE, MainTest.run("find").code());
    }
}
