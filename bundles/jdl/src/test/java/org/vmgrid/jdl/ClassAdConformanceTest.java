package org.vmgrid.jdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTCondor's own ClassAd cases (its tests, its manual, and values its library computes), evaluated by
 * vmgrid's evaluator: each must give the value HTCondor's library gives, except the few
 * {@code classad/vmgrid-answers.tsv} lists, where vmgrid deliberately answers otherwise and says why.
 */
class ClassAdConformanceTest {

    private static final String PROBE = "ConformanceProbe";

    /** One line of {@code classad/htcondor-cases.tsv}. */
    record Case(String id, String tag, String source, String context, String expression, String expected) {
        @Override
        public String toString() {
            return id + " [" + tag + "] " + expression;
        }
    }

    static List<String[]> rows(String resource, int columns) throws IOException {
        try (InputStream in = ClassAdConformanceTest.class.getResourceAsStream(resource)) {
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                rows.add(Arrays.copyOf(line.split("\t", -1), columns));
            }
            return rows;
        }
    }

    static List<Case> cases() throws IOException {
        return rows("/classad/htcondor-cases.tsv", 7).stream()
                .map(r -> new Case(r[0], r[1], r[2], r[3], r[4], r[5])).toList();
    }

    /** id to {vmgrid's answer, why}. */
    static Map<String, String[]> vmgridAnswers() throws IOException {
        Map<String, String[]> answers = new LinkedHashMap<>();
        for (String[] r : rows("/classad/vmgrid-answers.tsv", 3)) {
            answers.put(r[0], new String[] {r[1], r[2]});
        }
        return answers;
    }

    static Stream<Arguments> corpus() throws IOException {
        Map<String, String[]> answers = vmgridAnswers();
        return cases().stream().map(c -> Arguments.of(c, answers.containsKey(c.id()) ? answers.get(c.id())[0] : c.expected()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("corpus")
    void evaluatesAsHtcondorsClassAdLibrary(Case c, String expected) {
        String jdl = "[ " + ("-".equals(c.context()) ? "" : c.context() + " ") + PROBE + " = (" + c.expression() + "); ]";
        if (expected.equals("PARSE_ERROR")) {
            assertThrows(JdlSyntaxException.class, () -> Jdl.parse(jdl), c.source());
            return;
        }
        Value got = Jdl.evaluate(Jdl.parse(jdl), PROBE);
        Expected want = Expected.parse(expected);
        assertTrue(want.matches(got), () -> c.source() + ": " + c.expression() + " should be " + expected + ", is "
                + describe(got));
    }

    @Test
    void theCorpusIsWhole() throws IOException {
        List<Case> cases = cases();
        assertEquals(402, cases.size());
        assertEquals(cases.size(), cases.stream().map(Case::id).distinct().count(), "ids are unique");
        for (Case c : cases) {
            assertTrue(List.of("core", "modern", "disputed").contains(c.tag()), c.id() + " tag " + c.tag());
            assertTrue(c.source().startsWith("htcondor/htcondor@"), c.id() + " names its source");
            if (!c.expected().equals("PARSE_ERROR")) {
                Expected.parse(c.expected());
            }
        }
    }

    @Test
    void everyDeliberateDifferenceIsAnHtcondorOnlyCaseAndSaysWhy() throws IOException {
        Map<String, Case> byId = new LinkedHashMap<>();
        cases().forEach(c -> byId.put(c.id(), c));
        Map<String, String[]> answers = vmgridAnswers();
        assertFalse(answers.isEmpty());
        answers.forEach((id, answer) -> {
            Case c = byId.get(id);
            if (c == null) {
                fail(id + " is not a case of the corpus");
            }
            assertEquals("modern", c.tag(), id + ": only what current HTCondor alone does may differ");
            assertFalse(answer[0].equals(c.expected()), id + " differs from HTCondor");
            assertTrue(answer[1] != null && answer[1].contains("docs/jdl.md"), id + " says why, pointing to docs/jdl.md");
        });
    }

    static String describe(Value v) {
        if (v instanceof Value.Str s) {
            return Jdl.quote(s.value());
        }
        if (v instanceof Value.ListValue l) {
            return l.items().stream().map(ClassAdConformanceTest::describe).toList().toString();
        }
        if (v instanceof Value.Int i) {
            return i.value() + " (integer)";
        }
        if (v instanceof Value.Real r) {
            return r.value() + " (real)";
        }
        return v instanceof Value.Bool b ? Boolean.toString(b.value()) : v.typeName();
    }

    /**
     * An expected value as the corpus writes it: a ClassAd literal (integer, real with '.' or exponent,
     * string with C escapes, true/false/undefined/error in any case, list of those). Read here rather than
     * by the parser under test.
     */
    sealed interface Expected {
        boolean matches(Value v);

        record Int(long value) implements Expected {
            public boolean matches(Value v) {
                return v instanceof Value.Int i && i.value() == value;
            }
        }

        record Real(double value) implements Expected {
            public boolean matches(Value v) {
                return v instanceof Value.Real r && r.value() == value;
            }
        }

        record Str(String value) implements Expected {
            public boolean matches(Value v) {
                return v instanceof Value.Str s && s.value().equals(value);
            }
        }

        record Same(Value value) implements Expected {
            public boolean matches(Value v) {
                return v.equals(value);
            }
        }

        record ListOf(List<Expected> items) implements Expected {
            public boolean matches(Value v) {
                if (!(v instanceof Value.ListValue l) || l.items().size() != items.size()) {
                    return false;
                }
                for (int i = 0; i < items.size(); i++) {
                    if (!items.get(i).matches(l.items().get(i))) {
                        return false;
                    }
                }
                return true;
            }
        }

        static Expected parse(String text) {
            int[] at = {0};
            Expected e = read(text.strip(), at);
            if (at[0] != text.strip().length()) {
                throw new IllegalArgumentException("trailing text in expected value " + text);
            }
            return e;
        }

        private static Expected read(String s, int[] at) {
            while (s.charAt(at[0]) == ' ') {
                at[0]++;
            }
            char c = s.charAt(at[0]);
            if (c == '"') {
                return new Str(string(s, at));
            }
            if (c == '{') {
                at[0]++;
                List<Expected> items = new ArrayList<>();
                while (true) {
                    while (s.charAt(at[0]) == ' ') {
                        at[0]++;
                    }
                    if (s.charAt(at[0]) == '}') {
                        at[0]++;
                        return new ListOf(items);
                    }
                    items.add(read(s, at));
                    while (s.charAt(at[0]) == ' ') {
                        at[0]++;
                    }
                    if (s.charAt(at[0]) == ',') {
                        at[0]++;
                    }
                }
            }
            int end = at[0];
            while (end < s.length() && ",} ".indexOf(s.charAt(end)) < 0) {
                end++;
            }
            String word = s.substring(at[0], end);
            at[0] = end;
            if (word.matches("-?[0-9]+")) {
                return new Int(Long.parseLong(word));
            }
            if (word.matches("-?[0-9]*\\.[0-9]*([eE][-+]?[0-9]+)?|-?[0-9]+[eE][-+]?[0-9]+")) {
                return new Real(Double.parseDouble(word));
            }
            return switch (word.toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> new Same(Value.TRUE);
                case "false" -> new Same(Value.FALSE);
                case "undefined" -> new Same(Value.UNDEFINED);
                case "error" -> new Same(Value.ERROR);
                default -> throw new IllegalArgumentException("not a literal: " + word);
            };
        }

        private static String string(String s, int[] at) {
            StringBuilder b = new StringBuilder();
            int i = at[0] + 1;
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char d = s.charAt(i++);
                if (d >= '0' && d <= '7') {
                    int v = d - '0';
                    for (int k = 0; k < 2 && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++) {
                        v = v * 8 + (s.charAt(i++) - '0');
                    }
                    b.append((char) v);
                } else {
                    b.append(switch (d) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        default -> d;
                    });
                }
            }
            at[0] = i + 1;
            return b.toString();
        }
    }
}
