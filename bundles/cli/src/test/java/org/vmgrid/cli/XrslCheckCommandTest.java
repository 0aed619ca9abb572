package org.vmgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmgrid xrsl check} gives the ARC CE's decision (the example site: 4096 MiB at most, VO policy). */
class XrslCheckCommandTest {

    static final String SITE = JdlCheckCommandTest.SITE;
    static final String UUID = JdlCheckCommandTest.UUID;

    @TempDir
    Path dir;

    private String write(String text) throws IOException {
        Path p = dir.resolve("job.xrsl");
        Files.writeString(p, text);
        return p.toString();
    }

    @Test
    void anAcceptedVmJobSaysWhatVmItGets() throws IOException {
        String f = write("&(executable=\"/bin/sh\")(runtimeenvironment=\"VMGRID/IMAGE/debian-test\")"
                + "(runtimeenvironment=\"ENV/VMGRID\" \"memory=2048\" \"cpus=2\")");
        MainTest.Result r = MainTest.run("xrsl", "check", f, "--config-dir", SITE, "--vo", "dteam");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains(": accepted: VM job\n  image    " + UUID), r.out());
        assertTrue(r.out().contains("  vm       2048 MiB, 2 CPU(s), network none\n  batch    2 slot(s), 2304 MiB in all"),
                r.out());
    }

    @Test
    void refusalsAndUnreadableRequestsSayWhatToChange() throws IOException {
        MainTest.Result big = MainTest.run("xrsl", "check", write("&(runtimeenvironment=\"VMGRID/IMAGE/debian-test\")"
                + "(runtimeenvironment=\"ENV/VMGRID\" \"memory=65536\")"), "--config-dir", SITE, "--vo", "dteam");
        assertEquals(ExitCodes.REFUSED, big.code());
        assertTrue(big.out().contains(": refused: ENV/VMGRID memory = 65536 MiB is outside what this site allows (96 to 4096 MiB)"),
                big.out());
        MainTest.Result vo = MainTest.run("xrsl", "check", write("&(runtimeenvironment=\"VMGRID/IMAGE/debian-test\")"),
                "--config-dir", SITE, "--vo", "cms", "--json");
        assertEquals(ExitCodes.REFUSED, vo.code());
        assertTrue(vo.out().startsWith("{\"verdict\":\"refused\""), vo.out());
        MainTest.Result bad = MainTest.run("xrsl", "check", write("&(runtimeenvironment=\"ENV/VMGRID\" \"memory=1\")"),
                "--config-dir", SITE);
        assertEquals(ExitCodes.MALFORMED, bad.code());
        assertTrue(bad.out().contains("ENV/VMGRID needs the image too"), bad.out());
        MainTest.Result syntax = MainTest.run("xrsl", "check", write("&(executable=\"/bin/sh\""), "--config-dir", SITE);
        assertEquals(ExitCodes.MALFORMED, syntax.code());
        assertTrue(syntax.out().contains("xRSL line 1, column"), syntax.out());
    }

    @Test
    void aPlainJobIsAPlainJob() throws IOException {
        MainTest.Result r = MainTest.run("xrsl", "check", write("&(executable=\"/bin/true\")(runtimeenvironment=\"ENV/PROXY\")"),
                "--config-dir", SITE);
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().endsWith(": accepted: plain job (no vmgrid runtime environment)\n"), r.out());
    }
}
