package org.vmgrid.jdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HostileInputTest {

    @Test
    void megabytesAreRefusedBeforeParsing() {
        String big = "[ a = \"" + "x".repeat(Jdl.MAX_BYTES) + "\" ]";
        JdlSyntaxException e = assertThrows(JdlSyntaxException.class, () -> Jdl.parse(big));
        assertTrue(e.getMessage().contains("at most " + Jdl.MAX_BYTES), e.getMessage());
        assertThrows(JdlSyntaxException.class, () -> Jdl.parse(big.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void deepNestingIsRefusedWithTheLimitInTheMessage() {
        for (String open : new String[] {"(", "{", "[a=", "-", "!", "f(", "x[", "1?"}) {
            String jdl = "[ a = " + open.repeat(100_000) + "1 ]";
            JdlSyntaxException e = assertThrows(JdlSyntaxException.class, () -> Jdl.parse(jdl), open);
            assertTrue(e.problem().contains("nested more than " + Jdl.MAX_DEPTH), open + ": " + e.getMessage());
        }
    }

    @Test
    void longOperatorChainsAreRefusedBeforeTheyCouldOverflowThePrinterOrEvaluator() {
        String jdl = "[ a = 1" + " + 1".repeat(100_000) + " ]";
        JdlSyntaxException e = assertThrows(JdlSyntaxException.class, () -> Jdl.parse(jdl));
        assertTrue(e.problem().contains("long operator chains count too"), e.getMessage());
    }

    @Test
    void nestingUpToTheLimitParsesPrintsAndEvaluates() {
        int n = Jdl.MAX_DEPTH - 2;
        String jdl = "[ a = " + "(".repeat(n) + "1" + ")".repeat(n) + "; b = 1" + " + 1".repeat(n - 1) + " ]";
        ClassAd ad = Jdl.parse(jdl);
        assertEquals(ad, Jdl.parse(Jdl.print(ad)));
        assertEquals(new Value.Int(n), Jdl.evaluate(ad, "b"));
    }

    @Test
    void invalidUtf8NamesTheOffendingByte() {
        byte[] bytes = "[\n a = \"x\u00ff\" ]".getBytes(StandardCharsets.ISO_8859_1);
        JdlSyntaxException e = assertThrows(JdlSyntaxException.class, () -> Jdl.parse(bytes));
        assertTrue(e.problem().contains("byte 0xff at offset 9 is not valid UTF-8"), e.getMessage());
        assertEquals(2, e.line());
    }

    @Test
    void binaryAndNulAreRefusedWithTheCharacterEscaped() {
        JdlSyntaxException e = assertThrows(JdlSyntaxException.class, () -> Jdl.parse("[ a = \u0001 ]"));
        assertTrue(e.getMessage().contains("unexpected character '\\u0001'"), e.getMessage());
        JdlSyntaxException nul = assertThrows(JdlSyntaxException.class, () -> Jdl.parse("[ a = \"x\u0000\" ]"));
        assertTrue(nul.problem().contains("NUL"), nul.getMessage());
        assertThrows(JdlSyntaxException.class, () -> Jdl.parse("[ a = \"x\\0\" ]"));
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButASyntaxError() {
        Random random = new Random(20261127);
        for (int i = 0; i < 3000; i++) {
            byte[] b = new byte[random.nextInt(200)];
            random.nextBytes(b);
            try {
                Jdl.parse(b);
            } catch (JdlSyntaxException expected) {
                assertTrue(expected.line() >= 1 && expected.column() >= 1);
            }
        }
    }

    @Test
    void exponentialEvaluationHitsTheBudgetAndEndsInError() {
        StringBuilder jdl = new StringBuilder("[ a0 = \"xxxxxxxx\";");
        for (int i = 1; i <= 60; i++) {
            jdl.append(" a").append(i).append(" = size(strcat(a").append(i - 1).append(", a").append(i - 1)
                    .append(")) + size({a").append(i - 1).append(", a").append(i - 1).append("});");
        }
        ClassAd ad = Jdl.parse(jdl.append(" ]").toString());
        assertEquals(Value.ERROR, Jdl.evaluate(ad, "a60"));
    }

    @Test
    void catastrophicRegularExpressionsEndInError() {
        ClassAd ad = Jdl.parse("[ a = regexp(\"^(a+)+\\\\1$\", \"" + "a".repeat(40) + "b\") ]");
        assertEquals(Value.ERROR, Jdl.evaluate(ad, "a"));
    }

    @Test
    void longReferenceChainsEndInErrorNotStackOverflow() {
        StringBuilder jdl = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            jdl.append(" a").append(i).append(" = a").append(i + 1).append(';');
        }
        ClassAd ad = Jdl.parse(jdl.append(" a20000 = 1 ]").toString());
        assertEquals(Value.ERROR, Jdl.evaluate(ad, "a0"));
        assertEquals(new Value.Int(1), Jdl.evaluate(ad, "a19990"));
    }

    @Test
    void theDeepestAcceptedJdlFitsInA512KibThreadStack() throws Exception {
        int n = Jdl.MAX_DEPTH - 2;
        String jdl = "[ a = " + "[b = ".repeat(n / 2) + "-(1" + ")".repeat(1) + "]".repeat(n / 2) + "; c = "
                + "(".repeat(n) + "a" + ")".repeat(n) + "; d = strcat(" + "{".repeat(n - 2) + "1" + "}".repeat(n - 2) + ") ]";
        Throwable[] failure = new Throwable[1];
        Value[] result = new Value[1];
        Thread t = new Thread(null, () -> {
            try {
                ClassAd ad = Jdl.parse(jdl);
                assertEquals(ad, Jdl.parse(Jdl.print(ad)));
                result[0] = Jdl.evaluate(ad, "c");
                Jdl.evaluate(ad, "d");
                StringBuilder chain = new StringBuilder("[");
                for (int i = 0; i < 5_000; i++) {
                    chain.append(" a").append(i).append(" = ").append("-(".repeat(20)).append("a").append(i + 1)
                            .append(")".repeat(20)).append(';');
                }
                assertEquals(Value.ERROR, Jdl.evaluate(Jdl.parse(chain.append(" a5000 = 1 ]").toString()), "a0"));
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "small-stack", 512 * 1024);
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError("deep but accepted JDL failed on a 512 KiB stack", failure[0]);
        }
        assertTrue(result[0] instanceof Value.Record, String.valueOf(result[0]));
    }
}
