package org.vmgrid.arc.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmgrid.arc.ArcDescriptionException;
import org.vmgrid.arc.RuntimeEnvironmentRequest;

/**
 * Reads A-REX's {@code job.<id>.grami}: the job as A-REX hands it to its batch-system scripts, one
 * shell assignment {@code joboption_<name>=<word>} per variable, which the submit script sources. A
 * value may span lines (a quoted newline), so the whole file is read as shell words: single quotes,
 * backslash escapes, double quotes without expansions, plain characters. Anything else (an
 * expansion, a command) is refused rather than guessed at.
 */
public final class GramiReader {

    private static final Pattern RUNTIME = Pattern.compile("joboption_runtime_([0-9]{1,4})(?:_([0-9]{1,4}))?");

    private final String text;
    private int pos;

    private GramiReader(String text) {
        this.text = text;
    }

    /** Every assignment, in order. */
    public static Map<String, String> read(String text) {
        return new GramiReader(text).assignments();
    }

    /** The runtime environments A-REX will run ({@code joboption_runtime_N} and its options {@code _N_M}), in order. */
    public static List<RuntimeEnvironmentRequest> runtimeEnvironments(Map<String, String> grami) {
        TreeMap<Integer, String> names = new TreeMap<>();
        TreeMap<Integer, TreeMap<Integer, String>> options = new TreeMap<>();
        for (Map.Entry<String, String> e : grami.entrySet()) {
            Matcher m = RUNTIME.matcher(e.getKey());
            if (!m.matches()) {
                continue;
            }
            int n = Integer.parseInt(m.group(1));
            if (m.group(2) == null) {
                names.put(n, e.getValue());
            } else {
                options.computeIfAbsent(n, k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), e.getValue());
            }
        }
        List<RuntimeEnvironmentRequest> out = new ArrayList<>();
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            out.add(new RuntimeEnvironmentRequest(e.getValue(),
                    List.copyOf(options.getOrDefault(e.getKey(), new TreeMap<>()).values())));
        }
        return out;
    }

    private Map<String, String> assignments() {
        Map<String, String> out = new LinkedHashMap<>();
        while (true) {
            while (pos < text.length() && (text.charAt(pos) == '\n' || text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
                pos++;
            }
            if (pos >= text.length()) {
                return out;
            }
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            if (pos == start || pos >= text.length() || text.charAt(pos) != '=') {
                throw error("expected NAME=value");
            }
            String name = text.substring(start, pos);
            pos++;
            out.put(name, word());
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
                pos++;
            }
            if (pos < text.length() && text.charAt(pos) != '\n') {
                throw error("expected the end of the line after " + name);
            }
        }
    }

    private String word() {
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\'') {
                int end = text.indexOf('\'', pos + 1);
                if (end < 0) {
                    throw error("a single quote is not closed");
                }
                sb.append(text, pos + 1, end);
                pos = end + 1;
            } else if (c == '\\') {
                if (pos + 1 >= text.length()) {
                    throw error("a backslash at the end");
                }
                char next = text.charAt(pos + 1);
                if (next != '\n') {
                    sb.append(next);
                }
                pos += 2;
            } else if (c == '"') {
                pos++;
                while (true) {
                    if (pos >= text.length()) {
                        throw error("a double quote is not closed");
                    }
                    char d = text.charAt(pos);
                    if (d == '"') {
                        pos++;
                        break;
                    }
                    if (d == '$' || d == '`') {
                        throw error("an expansion inside double quotes");
                    }
                    if (d == '\\' && pos + 1 < text.length() && "$`\"\\\n".indexOf(text.charAt(pos + 1)) >= 0) {
                        if (text.charAt(pos + 1) != '\n') {
                            sb.append(text.charAt(pos + 1));
                        }
                        pos += 2;
                    } else {
                        sb.append(d);
                        pos++;
                    }
                }
            } else if (c == ' ' || c == '\t' || c == '\n') {
                return sb.toString();
            } else if ("$`;&|<>()".indexOf(c) >= 0) {
                throw error("a shell expansion or operator ('" + c + "')");
            } else {
                sb.append(c);
                pos++;
            }
        }
        return sb.toString();
    }

    private ArcDescriptionException error(String what) {
        int line = 1;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return new ArcDescriptionException("A-REX's grami file, line " + line + ": " + what);
    }
}
