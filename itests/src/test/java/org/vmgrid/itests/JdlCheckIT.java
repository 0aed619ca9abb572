package org.vmgrid.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Runs {@code ./vmgrid jdl check} of the assembled distribution as a grid user would, on JDLs in the
 * style of the CREAM user guide: the exit code and output for accepted, refused and malformed jobs.
 */
public class JdlCheckIT {

    static final Path ROOT = Path.of(System.getProperty("vmgrid.config.examples")).getParent();
    static final String SITE = ROOT.resolve("config-examples/site").toString();

    private Path dir;

    record Run(int code, String out) {
    }

    @Before
    public void makeDir() throws IOException {
        dir = Files.createTempDirectory("vmgrid-jdl-it");
    }

    @After
    public void removeDir() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private Run check(String jdl, String... options) throws Exception {
        Path file = dir.resolve("job.jdl");
        Files.writeString(file, jdl);
        List<String> argv = new ArrayList<>(List.of(ROOT.resolve("vmgrid").toString(), "jdl", "check", file.toString()));
        argv.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().remove("VMGRID_CONF_DIR");
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue("vmgrid jdl check did not end within 60 s", p.waitFor(60, TimeUnit.SECONDS));
            return new Run(p.exitValue(), out);
        } finally {
            p.destroyForcibly();
        }
    }

    static final String CREAM_GUIDE_JOB = String.join("\n",
            "[",
            "Type = \"Job\";",
            "JobType = \"Normal\";",
            "Executable = \"myexe\";",
            "StdInput = \"myinput.txt\";",
            "StdOutput = \"message.txt\";",
            "StdError = \"error.txt\";",
            "InputSandbox = {\"/users/someone/example/myinput.txt\",",
            "\"/users/someone/example/myexe\"};",
            "OutputSandbox = {\"message.txt\", \"error.txt\"};",
            "OutputSandboxBaseDestUri = \"gsiftp://se.example.org/data/someone\";",
            "%s",
            "]");

    @Test
    public void aPlainCreamJobIsAccepted() throws Exception {
        Run r = check(String.format(CREAM_GUIDE_JOB, ""), "--config-dir", SITE);
        assertEquals(r.out(), 0, r.code());
        assertTrue(r.out(), r.out().contains("accepted: plain job"));
    }

    @Test
    public void theSameJobAskingForTheSitesImageGetsItsSlurmDirectives() throws Exception {
        Run r = check(String.format(CREAM_GUIDE_JOB, "CeRequirements = \"Member(\\\"VM-IMAGE-debian-test\\\", "
                + "other.GlueHostApplicationSoftwareRunTimeEnvironment)\";"), "--config-dir", SITE, "--vo", "dteam", "--json");
        assertEquals(r.out(), 0, r.code());
        assertTrue(r.out(), r.out().contains("\"directives\":[\"#SBATCH --constraint=vmgrid\",\"#SBATCH --mem=1280M\""));
    }

    @Test
    public void tooMuchMemoryIsRefusedAndATypoIsMalformed() throws Exception {
        Run refused = check(String.format(CREAM_GUIDE_JOB, "VirtualMachine = [ Image = \"debian-test\"; Memory = 16384; ];"),
                "--config-dir", SITE, "--vo", "dteam");
        assertEquals(refused.out(), 1, refused.code());
        assertTrue(refused.out(), refused.out().contains("ask for at most 4096"));
        Run typo = check(String.format(CREAM_GUIDE_JOB, "VirtualMachine = [ Image = \"debian-test\"; Memroy = 2048 ];"),
                "--config-dir", SITE, "--vo", "dteam");
        assertEquals(typo.out(), 2, typo.code());
        assertTrue(typo.out(), typo.out().contains("malformed: VirtualMachine has an unknown attribute Memroy"));
        Run broken = check(String.format(CREAM_GUIDE_JOB, "VirtualMachine = [ Image = \"debian-test\" ]")
                .replace("StdError = \"error.txt\";", "StdError = \"error.txt\""), "--config-dir", SITE);
        assertEquals(broken.out(), 2, broken.code());
        assertTrue(broken.out(), broken.out().contains("line 8, column 1: expected ';' or ']' after the value of StdError"));
    }
}
