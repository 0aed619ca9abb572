package org.vmgrid.glue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An LDAP distinguished name, most specific RDN first. {@link #toString()} is its RFC 2253 string
 * form with every special character escaped.
 *
 * @param rdns the relative names, leaf first
 */
public record Dn(List<Rdn> rdns) {

    /** One {@code attribute=value} step of a DN. */
    public record Rdn(String attribute, String value) {

        private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

        public Rdn {
            Objects.requireNonNull(attribute, "attribute");
            Objects.requireNonNull(value, "value");
            if (!ATTRIBUTE.matcher(attribute).matches()) {
                throw new GlueEncodingException("DN attribute name '" + attribute + "' is not an LDAP attribute name");
            }
            if (value.isEmpty()) {
                throw new GlueEncodingException("DN component " + attribute + " has an empty value");
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                // bdii-update finds DNs by text ("dn: ..."), so a DN must stay printable ASCII
                if (c < 0x20 || c > 0x7e) {
                    throw new GlueEncodingException("DN component " + attribute + "=" + printable(value)
                            + " holds a control or non-ASCII character at " + i + "; only printable ASCII is published in DNs");
                }
            }
        }

        /** The RFC 2253 form: {@code attribute=value} with {@code , + " \ < > ;}, a leading {@code #} or space and a trailing space escaped. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(attribute).append('=');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                boolean special = ",+\"\\<>;=".indexOf(c) >= 0
                        || (i == 0 && (c == '#' || c == ' '))
                        || (i == value.length() - 1 && c == ' ');
                if (special) {
                    sb.append('\\');
                }
                sb.append(c);
            }
            return sb.toString();
        }
    }

    public Dn {
        rdns = List.copyOf(rdns);
        if (rdns.isEmpty()) {
            throw new GlueEncodingException("a DN needs at least one component");
        }
    }

    /** Parses a fixed suffix such as {@code mds-vo-name=resource,o=grid} (no escapes allowed). */
    public static Dn suffix(String text) {
        List<Rdn> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2 || kv[1].contains("\\")) {
                throw new GlueEncodingException("'" + text + "' is not a plain DN suffix");
            }
            out.add(new Rdn(kv[0].trim(), kv[1].trim()));
        }
        return new Dn(out);
    }

    /** This DN with one more RDN in front. */
    public Dn child(String attribute, String value) {
        List<Rdn> out = new ArrayList<>(rdns.size() + 1);
        out.add(new Rdn(attribute, value));
        out.addAll(rdns);
        return new Dn(out);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Rdn r : rdns) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(r);
        }
        return sb.toString();
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}
