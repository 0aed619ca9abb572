package org.vmgrid.glue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The one LDIF encoder (RFC 2849). A value that is not a SAFE-STRING (non-ASCII, NUL, CR, LF,
 * and here any control character, a leading space, colon or less-than, a trailing space) is written base64 with
 * {@code ::}. So is any value holding {@code dn:}, because bdii-update locates entries by searching
 * the raw text for {@code dn:}. Lines are not folded.
 */
public final class LdifWriter {

    /** Renders the entries, each followed by an empty line. */
    public String write(List<LdifEntry> entries) {
        StringBuilder sb = new StringBuilder(entries.size() * 512);
        for (LdifEntry e : entries) {
            sb.append("dn: ").append(e.dn()).append('\n');
            for (LdifEntry.Attribute a : e.attributes()) {
                value(sb, a.name(), a.value());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Renders changes to entries another provider publishes (a GIP plugin's output): per entry
     * {@code changetype: modify}, then an {@code add:} block per attribute with its values, each
     * block ended by {@code -}. Values are encoded as in {@link #write}.
     */
    public String writeAdditions(List<LdifEntry> additions) {
        StringBuilder sb = new StringBuilder(additions.size() * 256);
        for (LdifEntry e : additions) {
            sb.append("dn: ").append(e.dn()).append('\n').append("changetype: modify\n");
            java.util.LinkedHashMap<String, List<String>> byName = new java.util.LinkedHashMap<>();
            for (LdifEntry.Attribute a : e.attributes()) {
                byName.computeIfAbsent(a.name(), k -> new java.util.ArrayList<>()).add(a.value());
            }
            for (java.util.Map.Entry<String, List<String>> a : byName.entrySet()) {
                sb.append("add: ").append(a.getKey()).append('\n');
                for (String v : a.getValue()) {
                    value(sb, a.getKey(), v);
                }
                sb.append("-\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void value(StringBuilder sb, String name, String value) {
        sb.append(name);
        if (needsBase64(value)) {
            sb.append(":: ").append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        } else {
            sb.append(": ").append(value);
        }
        sb.append('\n');
    }

    /** True when RFC 2849 does not allow the value as a plain SAFE-STRING, or bdii-update would misread it. */
    public static boolean needsBase64(String value) {
        if (value.isEmpty()) {
            return false;
        }
        char first = value.charAt(0);
        if (first == ' ' || first == ':' || first == '<' || value.charAt(value.length() - 1) == ' ') {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f) { // RFC 2849 allows some controls; we never print them raw
                return true;
            }
        }
        return value.toLowerCase(Locale.ROOT).contains("dn:");
    }
}
