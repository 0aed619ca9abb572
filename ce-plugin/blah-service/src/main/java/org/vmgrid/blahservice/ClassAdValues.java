package org.vmgrid.blahservice;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Values of a BLAH request file as ClassAd printed them: a string keeps its double quotes
 * ({@code '"none"'}), a number is bare ({@code '2048'}). Only plain values are read: a string
 * holding a quote or a backslash (a ClassAd escape) is not one vmgrid ever writes, and is refused.
 */
public final class ClassAdValues {

    private ClassAdValues() {
    }

    /**
     * The text of a value: a quoted string without its quotes, a bare value as it is; empty for a
     * string holding {@code "} or {@code \}.
     */
    public static Optional<String> text(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            String inner = value.substring(1, value.length() - 1);
            return inner.indexOf('"') < 0 && inner.indexOf('\\') < 0 ? Optional.of(inner) : Optional.empty();
        }
        return value.indexOf('"') < 0 && value.indexOf('\\') < 0 ? Optional.of(value) : Optional.empty();
    }

    /**
     * The FQANs of {@code x509UserProxyFQAN}: BLAH's own list form, written from the proxy
     * ({@code "userFQAN=/dteam/Role=NULL/Capability=NULL" "userFQAN=/dteam/vmgrid/Role=NULL/Capability=NULL"},
     * {@code "userFQAN="} for none), or FQANs separated by commas as CREAM passes them when BLAH
     * could not read the proxy. Not checked here (the site decision reads each FQAN).
     *
     * @throws HookServiceException when the list form is broken
     */
    public static List<String> fqans(String value) {
        List<String> out = new ArrayList<>();
        if (value.isEmpty()) {
            return out;
        }
        if (!value.startsWith("\"")) {
            for (String f : value.split(",", -1)) {
                out.add(f.strip());
            }
            return out;
        }
        int i = 0;
        while (i < value.length()) {
            int end = value.indexOf('"', i + 1);
            if (value.charAt(i) != '"' || end < 0) {
                throw new HookServiceException("x509UserProxyFQAN is not BLAH's list of \"userFQAN=...\" items");
            }
            String item = value.substring(i + 1, end);
            if (!item.startsWith("userFQAN=")) {
                throw new HookServiceException("x509UserProxyFQAN holds an item that is not userFQAN=<fqan>");
            }
            if (item.length() > "userFQAN=".length()) {
                out.add(item.substring("userFQAN=".length()));
            }
            i = end + 1;
            if (i < value.length()) {
                if (value.charAt(i) != ' ') {
                    throw new HookServiceException("x509UserProxyFQAN's items are not separated by single spaces");
                }
                i++;
            }
        }
        return out;
    }
}
