package org.vmgrid.decision;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A VOMS fully qualified attribute name, {@code /vo[/group...][/Role=role][/Capability=cap]}, and
 * the VO it belongs to (its first component). {@code Role=NULL} and {@code Capability=NULL} are how
 * VOMS writes "none"; they are kept as written.
 *
 * @param text the FQAN as read
 * @param vo its VO
 */
public record Fqan(String text, String vo) {

    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";
    /** What an FQAN may look like: names of letters, digits, '.', '_', '-'. */
    public static final Pattern PATTERN = Pattern.compile("/(" + NAME + ")(/" + NAME + ")*(/Role=" + NAME
            + ")?(/Capability=" + NAME + ")?");

    public Fqan {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(vo, "vo");
    }

    /**
     * Reads one FQAN.
     *
     * @throws IdentityException when it is not of the form above
     */
    public static Fqan parse(String text) {
        var m = text == null ? null : PATTERN.matcher(text);
        if (m == null || !m.matches()) {
            throw new IdentityException("'" + printable(text) + "' is not a VOMS FQAN "
                    + "(/vo[/group...][/Role=role][/Capability=cap], names of letters, digits, '.', '_', '-')");
        }
        return new Fqan(text, m.group(1));
    }

    static String printable(String s) {
        if (s == null) {
            return "(none)";
        }
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 80 ? p.substring(0, 80) + "..." : p;
    }
}
