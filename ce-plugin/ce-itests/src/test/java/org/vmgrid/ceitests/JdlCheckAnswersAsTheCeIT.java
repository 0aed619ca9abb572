package org.vmgrid.ceitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.axis2.AxisFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.cli.Main;
import org.vmgrid.cream.EmbeddedCream;
import org.vmgrid.cream.EmbeddedCream.Description;
import org.vmgrid.cream.StandInCream2;

/**
 * {@code vmgrid jdl check} gives the CE's answer: a corpus of JDLs (src/test/resources/jdl-corpus:
 * plain and VM jobs, refusals of every kind, malformed ones, descriptions CREAM itself would refuse,
 * hostile ones) through the command and through the Axis2 endpoint (vmgrid.mar in a real Axis2
 * engine before a stand-in CREAM), both with the example site: the same verdict and the same
 * reason, word for word, for every file; and the verdict is the one the corpus expects.
 */
class JdlCheckAnswersAsTheCeIT {

    private static final String FAULT_INTRO = "vmgrid refused 1 of 1 job description(s); nothing was registered; "
            + "correct and resubmit: job description 1 (jobDescriptionId \"corpus\") ";

    @TempDir
    static Path dir;
    static EmbeddedCream ce;
    static Path site;

    @BeforeAll
    static void start() throws Exception {
        site = Path.of(System.getProperty("vmgrid.config.examples"));
        ce = new EmbeddedCream(Files.createDirectories(dir.resolve("cream")), site);
    }

    @AfterAll
    static void stop() throws Exception {
        if (ce != null) {
            ce.close();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = JdlCheckAnswersAsTheCeIT.class.getResourceAsStream("/jdl-corpus/" + name)) {
            return in.readAllBytes();
        }
    }

    /** What one side said: verdict (plain, vm, refused, malformed) and reason. */
    record Answer(String verdict, String reason) {
    }

    private static Answer check(Path file, String vo) throws IOException {
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("jdl", "check", file.toString(), "--config-dir", site.toString(),
                "--json"));
        if (!vo.equals("-")) {
            args.addAll(List.of("--vo", vo));
        }
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        JsonNode json = new ObjectMapper().readTree(out.toString());
        String verdict = json.get("verdict").asText();
        assertEquals(Map.of("accepted", 0, "refused", 1, "malformed", 2).get(verdict), code, out.toString());
        if (verdict.equals("accepted")) {
            verdict = json.get("vm").isNull() ? "plain" : "vm";
        }
        return new Answer(verdict, json.get("reason").asText());
    }

    private static Answer endpoint(String jdl, String vo) throws AxisFault {
        ce.cream().clear();
        try {
            ce.jobRegister(List.of(new Description("corpus", jdl)), vo.equals("-") ? null : vo);
        } catch (AxisFault f) {
            String m = f.getMessage();
            assertTrue(m.startsWith(FAULT_INTRO), m);
            String rest = m.substring(FAULT_INTRO.length());
            int colon = rest.indexOf(": ");
            assertTrue(ce.cream().received().isEmpty(), "a refused description reached CREAM");
            return new Answer(rest.substring(0, colon), rest.substring(colon + 2));
        }
        List<StandInCream2.Received> got = ce.cream().received();
        assertEquals(1, got.size());
        if (got.get(0).jdl().equals(jdl)) {
            return new Answer("plain", "");
        }
        assertTrue(got.get(0).jdl().contains("VmgridMemory"), got.get(0).jdl());
        return new Answer("vm", "");
    }

    @Test
    void everyJdlGetsTheSameVerdictAndReasonFromJdlCheckAndFromTheCe() throws Exception {
        int checked = 0;
        for (String line : new String(resource("corpus.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            byte[] bytes = resource(f[0]);
            Path file = Files.write(dir.resolve(f[0]), bytes);
            Answer cli = check(file, f[1]);
            Answer ce = endpoint(new String(bytes, StandardCharsets.UTF_8), f[1]);
            assertEquals(ce, cli, f[0]);
            assertEquals(f[2], cli.verdict(), f[0] + ": " + cli.reason());
            if (!f[2].equals("plain") && !f[2].equals("vm")) {
                assertNotEquals("", cli.reason(), f[0]);
            }
            checked++;
        }
        assertEquals(38, checked);
    }
}
