package org.vmgrid.jdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GoldenJdlTest {

    static ClassAd golden(String name) throws IOException {
        try (InputStream in = GoldenJdlTest.class.getResourceAsStream("/golden/" + name)) {
            return Jdl.parse(in.readAllBytes());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cream-simple.jdl", "cream-sandbox.jdl", "vm-record.jdl", "vm-tag.jdl", "expressions.jdl"})
    void everyGoldenJdlRoundTripsThroughThePrinter(String name) throws IOException {
        ClassAd ad = golden(name);
        String printed = Jdl.print(ad);
        assertEquals(ad, Jdl.parse(printed), printed);
        assertEquals(printed, Jdl.print(Jdl.parse(printed)));
    }

    @Test
    void creamJobAttributesHaveTheirTypesAndIgnoreCase() throws IOException {
        ClassAd ad = golden("cream-sandbox.jdl");
        assertEquals(new Value.Str("test.sh"), Jdl.evaluate(ad, "EXECUTABLE"));
        assertEquals(new Value.Str("--events 1000 --seed \"42\""), Jdl.evaluate(ad, "arguments"));
        assertEquals(new Value.Int(4), Jdl.evaluate(ad, "CpuNumber"));
        assertEquals(Value.FALSE, Jdl.evaluate(ad, "WholeNodes"));
        Value env = Jdl.evaluate(ad, "Environment");
        assertEquals(new Value.ListValue(List.of(new Value.Str("CMS_PATH=/opt/exp_soft/cms"), new Value.Str("LC_ALL=C"),
                new Value.Str("GREETING=hello world"))), env);
        assertInstanceOf(Expr.Literal.class, ad.get("CERequirements").orElseThrow());
        assertEquals("CERequirements", ad.spelling("cerequirements").orElseThrow());
        assertEquals(Value.UNDEFINED, Jdl.evaluate(ad, "NoSuchAttribute"));
    }

    @Test
    void ceRequirementsStringHoldsAParsableExpression() throws IOException {
        ClassAd ad = golden("cream-sandbox.jdl");
        String text = ((Value.Str) Jdl.evaluate(ad, "CeRequirements")).value();
        Expr e = Jdl.parseExpression(text);
        ClassAd ce = Jdl.parse("[ GlueCEPolicyMaxCPUTime = 2880; GlueHostMainMemoryRAMSize = 4096 ]");
        assertEquals(Value.TRUE, Jdl.evaluate(e, ClassAd.empty(), ce));
        ClassAd small = Jdl.parse("[ GlueCEPolicyMaxCPUTime = 2880; GlueHostMainMemoryRAMSize = 1024 ]");
        assertEquals(Value.FALSE, Jdl.evaluate(e, ClassAd.empty(), small));
        assertEquals(Value.UNDEFINED, Jdl.evaluate(e, ClassAd.empty(), null));
    }

    @Test
    void expressionsEvaluateWithClassAdPrecedenceAndScopes() throws IOException {
        ClassAd ad = golden("expressions.jdl");
        assertEquals(new Value.Int(5), Jdl.evaluate(ad, "a"));
        assertEquals(new Value.Int(9), Jdl.evaluate(ad, "b"));
        assertEquals(Value.TRUE, Jdl.evaluate(ad, "c"));
        assertEquals(new Value.Str("five"), Jdl.evaluate(ad, "d"));
        assertEquals(new Value.Int(7), Jdl.evaluate(ad, "e"));
        assertEquals(new Value.Int(5), Jdl.evaluate(ad, "h"));
        assertEquals(new Value.Str("VM-IMAGE-42"), Jdl.evaluate(ad, "i"));
        assertEquals(Value.TRUE, Jdl.evaluate(ad, "j"));
        assertEquals(Value.UNDEFINED, Jdl.evaluate(ad, "k"));
        assertEquals(new Value.Int(2053), Jdl.evaluate(ad.get("k").orElseThrow(), ad, Jdl.parse("[Memory = 2048]")));
        assertEquals(Value.TRUE, Jdl.evaluate(ad, "l"));
        assertEquals(new Value.Str("tab\tquote\"backslash\\octalA üñí"), Jdl.evaluate(ad, "m"));
    }

    @Test
    void printerOutputHasItsGoldenShape() throws IOException {
        try (InputStream in = GoldenJdlTest.class.getResourceAsStream("/golden/vm-record.printed.jdl")) {
            String expected = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(expected, Jdl.print(golden("vm-record.jdl")));
        }
    }

    @Test
    void theVmImageTagMatchesOnlyACeThatPublishesIt() throws IOException {
        ClassAd job = golden("vm-tag.jdl");
        Expr req = Jdl.parseExpression(((Value.Str) Jdl.evaluate(job, "CeRequirements")).value());
        ClassAd offering = Jdl.parse("[ GlueHostApplicationSoftwareRunTimeEnvironment = { \"VO-atlas-sw\", "
                + "\"VM-IMAGE-debian-test\" }; GlueCEPolicyMaxWallClockTime = 2880 ]");
        ClassAd other = Jdl.parse("[ GlueHostApplicationSoftwareRunTimeEnvironment = { \"VM-IMAGE-centos\" }; "
                + "GlueCEPolicyMaxWallClockTime = 2880 ]");
        assertEquals(Value.TRUE, Jdl.evaluate(req, job, offering));
        assertEquals(Value.FALSE, Jdl.evaluate(req, job, other));
        assertEquals(Value.UNDEFINED, Jdl.evaluate(req, job, ClassAd.empty()));
    }
}
