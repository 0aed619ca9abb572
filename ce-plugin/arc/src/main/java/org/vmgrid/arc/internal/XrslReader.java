package org.vmgrid.arc.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.vmgrid.arc.ArcDescriptionException;
import org.vmgrid.arc.ArcJob;
import org.vmgrid.arc.RuntimeEnvironmentRequest;

/**
 * Reads an xRSL job description (NorduGrid's RSL dialect, as ARC 6 parses it): {@code &} then
 * relations {@code (attribute op values)}; values are literals (unquoted, {@code "..."} and
 * {@code '...'} with the quote doubled inside, {@code ^c...c^}), lists {@code ( ... )}, variables
 * {@code $(NAME)} and {@code #} concatenations; comments {@code (* ... *)}. Attribute names are
 * case-insensitive. Multi-job ({@code +}) and alternative ({@code |}) descriptions are refused.
 * Only {@code runtimeenvironment}, {@code memory} and {@code count} are interpreted; every other
 * relation is parsed and skipped.
 */
public final class XrslReader {

    private static final String SPECIAL = "+&|()=<>!\"'^#$";
    /** The deepest nesting of lists and conjunctions read; real descriptions nest two or three deep. */
    static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    private XrslReader(String text) {
        this.text = text;
    }

    /** A value of a relation. */
    sealed interface Value permits Literal, Sequence, Variable, Concatenation {
    }

    record Literal(String text) implements Value {
    }

    record Sequence(List<Value> items) implements Value {
    }

    record Variable(String name) implements Value {
    }

    record Concatenation(List<Value> parts) implements Value {
    }

    /** One {@code (attribute op values)}; the attribute lower-cased. */
    record Relation(String attribute, String op, List<Value> values, int line, int column) {
    }

    public static ArcJob read(String text) {
        XrslReader r = new XrslReader(text);
        List<Relation> relations = r.request();
        return job(relations);
    }

    /** The relations of a single job, in order. */
    static List<Relation> relations(String text) {
        return new XrslReader(text).request();
    }

    private List<Relation> request() {
        skipBlank();
        if (peek() == '+') {
            throw error("this is a multi-job description (+); vmgrid reads one job at a time: submit each job on its own");
        }
        if (peek() == '|') {
            throw error("this description offers alternatives (|); vmgrid reads only one job: write it with & alone");
        }
        if (peek() == '&') {
            pos++;
        }
        List<Relation> out = new ArrayList<>();
        conjunction(out);
        skipBlank();
        if (pos < text.length()) {
            throw error("unexpected '" + printable(text.charAt(pos)) + "' after the last relation");
        }
        if (out.isEmpty()) {
            throw error("no relation such as (executable=\"...\") found");
        }
        return out;
    }

    /** Items {@code (...)} until the end or a closing parenthesis. */
    private void conjunction(List<Relation> out) {
        while (true) {
            skipBlank();
            if (peek() != '(') {
                return;
            }
            int line = line(pos);
            int column = column(pos);
            pos++;
            skipBlank();
            char c = peek();
            if (c == '&') {
                pos++;
                deeper();
                conjunction(out);
                depth--;
            } else if (c == '|' || c == '+') {
                throw error("nested " + (c == '|' ? "alternatives (|)" : "multi-job (+)") + " are not read by vmgrid; "
                        + "write one job with & alone");
            } else {
                out.add(relation(line, column));
            }
            skipBlank();
            expect(')');
        }
    }

    private Relation relation(int line, int column) {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (pos == start) {
            throw error("expected an attribute name");
        }
        String attribute = text.substring(start, pos).toLowerCase(Locale.ROOT);
        skipBlank();
        String op = operator();
        List<Value> values = new ArrayList<>();
        while (true) {
            skipBlank();
            if (pos >= text.length()) {
                throw error("the relation (" + attribute + " ...) is not closed with ')'");
            }
            if (peek() == ')') {
                break;
            }
            values.add(value());
        }
        return new Relation(attribute, op, values, line, column);
    }

    private String operator() {
        for (String op : List.of("!=", "<=", ">=", "=", "<", ">")) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return op;
            }
        }
        throw error("expected an operator (=, !=, <, >, <=, >=)");
    }

    /** One value, with {@code #} concatenations. */
    private Value value() {
        List<Value> parts = new ArrayList<>();
        parts.add(single());
        while (true) {
            int save = pos;
            skipBlank();
            if (peek() != '#') {
                pos = save;
                break;
            }
            pos++;
            skipBlank();
            parts.add(single());
        }
        return parts.size() == 1 ? parts.get(0) : new Concatenation(parts);
    }

    private Value single() {
        char c = peek();
        if (c == '"' || c == '\'') {
            return new Literal(quoted(c));
        }
        if (c == '^') {
            pos++;
            if (pos >= text.length()) {
                throw error("^ at the end of the description");
            }
            char delimiter = text.charAt(pos++);
            int end = text.indexOf(delimiter + "^", pos);
            if (end < 0) {
                throw error("the ^" + printable(delimiter) + " quoted value is not closed with " + printable(delimiter) + "^");
            }
            String v = text.substring(pos, end);
            pos = end + 2;
            return new Literal(v);
        }
        if (c == '(') {
            deeper();
            pos++;
            List<Value> items = new ArrayList<>();
            while (true) {
                skipBlank();
                if (pos >= text.length()) {
                    throw error("a list ( ... ) is not closed with ')'");
                }
                if (peek() == ')') {
                    pos++;
                    depth--;
                    return new Sequence(items);
                }
                items.add(value());
            }
        }
        if (c == '$') {
            pos++;
            expect('(');
            skipBlank();
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ')' && !Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            String name = text.substring(start, pos);
            skipBlank();
            expect(')');
            return new Variable(name);
        }
        int start = pos;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && SPECIAL.indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        if (pos == start) {
            throw error("expected a value, found '" + printable(c) + "'");
        }
        return new Literal(text.substring(start, pos));
    }

    private String quoted(char q) {
        int open = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                pos = open;
                throw error("the quoted value starting here is not closed with " + q);
            }
            char c = text.charAt(pos++);
            if (c == q) {
                if (pos < text.length() && text.charAt(pos) == q) {
                    sb.append(q);
                    pos++;
                } else {
                    return sb.toString();
                }
            } else {
                sb.append(c);
            }
        }
    }

    private void skipBlank() {
        while (pos < text.length()) {
            if (Character.isWhitespace(text.charAt(pos))) {
                pos++;
            } else if (text.startsWith("(*", pos)) {
                int end = text.indexOf("*)", pos + 2);
                if (end < 0) {
                    throw error("the comment (* is not closed with *)");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'" + (pos < text.length() ? ", found '" + printable(peek()) + "'" : " at the end"));
        }
        pos++;
    }

    /** One level deeper; refuses a nesting no job description needs (and no reader should recurse into). */
    private void deeper() {
        if (++depth > MAX_DEPTH) {
            throw error("lists and conjunctions are nested more than " + MAX_DEPTH + " deep; vmgrid reads no deeper");
        }
    }

    private ArcDescriptionException error(String what) {
        return new ArcDescriptionException("xRSL line " + line(pos) + ", column " + column(pos) + ": " + what);
    }

    private int line(int at) {
        int line = 1;
        for (int i = 0; i < at && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private int column(int at) {
        int nl = text.lastIndexOf('\n', Math.max(0, Math.min(at, text.length()) - 1));
        return at - nl;
    }

    static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    // ---- what vmgrid reads ----

    private static ArcJob job(List<Relation> relations) {
        List<RuntimeEnvironmentRequest> rtes = new ArrayList<>();
        OptionalLong memory = OptionalLong.empty();
        OptionalLong count = OptionalLong.empty();
        for (Relation r : relations) {
            switch (r.attribute()) {
                case "runtimeenvironment" -> runtimeEnvironment(r).ifPresent(rtes::add);
                case "memory" -> memory = once(memory, number(r, "MiB, such as (memory=2048)"), r);
                case "count" -> count = once(count, number(r, "slots, such as (count=2)"), r);
                default -> {
                    // not vmgrid's to read
                }
            }
        }
        return new ArcJob("xRSL", rtes, memory, count);
    }

    private static java.util.Optional<RuntimeEnvironmentRequest> runtimeEnvironment(Relation r) {
        List<String> literals = new ArrayList<>();
        boolean plain = !r.values().isEmpty();
        for (Value v : r.values()) {
            if (v instanceof Literal l) {
                literals.add(l.text());
            } else {
                plain = false;
            }
        }
        boolean vmgrid = mentionsVmgrid(r.values());
        if (!vmgrid) {
            return plain && r.op().equals("=") ? java.util.Optional.of(new RuntimeEnvironmentRequest(literals.get(0),
                    literals.subList(1, literals.size()))) : java.util.Optional.empty();
        }
        String where = "xRSL line " + r.line() + ", column " + r.column() + ": ";
        if (!r.op().equals("=")) {
            throw new ArcDescriptionException(where + "ask for vmgrid's runtime environments with '=', not '" + r.op()
                    + "', such as (runtimeenvironment=\"VMGRID/IMAGE/<image>\")");
        }
        if (!plain) {
            throw new ArcDescriptionException(where + "vmgrid's runtime environments take plain quoted values only "
                    + "(no lists, $(variables) or #), such as (runtimeenvironment=\"ENV/VMGRID\" \"memory=2048\")");
        }
        return java.util.Optional.of(new RuntimeEnvironmentRequest(literals.get(0), literals.subList(1, literals.size())));
    }

    private static boolean mentionsVmgrid(List<Value> values) {
        for (Value v : values) {
            boolean hit;
            if (v instanceof Literal l) {
                hit = l.text().toLowerCase(Locale.ROOT).contains("vmgrid");
            } else if (v instanceof Sequence s) {
                hit = mentionsVmgrid(s.items());
            } else if (v instanceof Concatenation c) {
                hit = mentionsVmgrid(c.parts());
            } else {
                hit = ((Variable) v).name().toLowerCase(Locale.ROOT).contains("vmgrid");
            }
            if (hit) {
                return true;
            }
        }
        return false;
    }

    private static long number(Relation r, String what) {
        if (!r.op().equals("=") || r.values().size() != 1 || !(r.values().get(0) instanceof Literal l)
                || !l.text().matches("[0-9]{1,9}")) {
            throw new ArcDescriptionException("xRSL line " + r.line() + ", column " + r.column() + ": (" + r.attribute()
                    + ") must be one whole number of " + what);
        }
        return Long.parseLong(l.text());
    }

    private static OptionalLong once(OptionalLong previous, long value, Relation r) {
        if (previous.isPresent()) {
            throw new ArcDescriptionException("xRSL line " + r.line() + ", column " + r.column() + ": (" + r.attribute()
                    + ") is given twice; give it once");
        }
        return OptionalLong.of(value);
    }
}
