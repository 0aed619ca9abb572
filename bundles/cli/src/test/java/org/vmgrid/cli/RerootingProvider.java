package org.vmgrid.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A GIP provider script for a BDII one level up the hierarchy: it prints some fixed parent entries,
 * then the LDIF of its sources (a command, or another BDII read with ldapsearch) with each entry's
 * DN moved from the source's suffix to its place in this BDII. This is what glite-info-provider-ldap
 * does for site and top-level BDIIs (Debian does not package it): a site BDII publishes its resources
 * under {@code mds-vo-name=SITE,o=grid} and {@code GLUE2DomainID=SITE,o=glue}; a top-level BDII
 * publishes each site under {@code mds-vo-name=SITE,mds-vo-name=local,o=grid} and
 * {@code GLUE2DomainID=SITE,GLUE2GroupID=grid,o=glue}. Entries outside every moved suffix, or with a
 * base64 DN, are left out and named on stderr (bdii-update's log).
 */
final class RerootingProvider {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9=,._:-]+");

    /** The awk program: paragraph mode (one entry per record), unfolded input, suffix pairs in $REROOT. */
    private static final String AWK = """
            BEGIN { n = split(ENVIRON["REROOT"], p, "|") }
            {
              nl = index($0, "\\n"); first = nl ? substr($0, 1, nl - 1) : $0; rest = nl ? substr($0, nl) : ""
              if (substr(first, 1, 4) != "dn: ") { print "rerooting provider: left out an entry: " first > "/dev/stderr"; next }
              dn = substr(first, 5); ldn = tolower(dn)
              for (i = 1; i < n; i += 2) {
                old = tolower(p[i]); lo = length(old); ld = length(ldn)
                if (ldn == old || (ld > lo && substr(ldn, ld - lo) == "," old)) { print "dn: " substr(dn, 1, ld - lo) p[i + 1] rest; next }
              }
              print "rerooting provider: left out an entry outside its sources: " dn > "/dev/stderr"
            }""";

    private RerootingProvider() {}

    /** A source: a shell command line that prints LDIF (written by the test itself, never user text). */
    record Source(String command) {
        static Source ldap(String host, int port, String base) {
            return new Source("ldapsearch -LLL -x -o ldif-wrap=no -H ldap://" + plain(host) + ":" + port + " -b " + plain(base));
        }

        static Source provider(Path script) {
            if (script.toString().contains("'")) {
                throw new IllegalArgumentException("a quote in a provider's path: " + script);
            }
            return new Source("'" + script + "'");
        }
    }

    /**
     * Writes the provider script.
     *
     * @param parents LDIF of the entries above the moved trees, printed as they are
     * @param moves old suffix to new suffix, in the order they are tried
     */
    static Path write(Path script, String parents, List<Source> sources, Map<String, String> moves) throws IOException {
        List<String> pairs = new ArrayList<>();
        moves.forEach((from, to) -> {
            pairs.add(plain(from));
            pairs.add(plain(to));
        });
        StringBuilder s = new StringBuilder("#!/bin/sh\n# a BDII one level up: fixed parents, then its sources moved under them\n");
        s.append("cat <<'EOF'\n").append(parents.strip()).append("\n\nEOF\n");
        s.append("{\n");
        for (Source src : sources) {
            s.append("  ").append(src.command()).append("\n  echo\n");
        }
        s.append("} | sed -e ':a' -e 'N' -e '$!ba' -e 's/\\n //g' | REROOT='").append(String.join("|", pairs))
                .append("' awk 'BEGIN { RS = \"\"; ORS = \"\\n\\n\" }\n").append(AWK).append("'\n");
        Files.writeString(script, s.toString());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static String plain(String s) {
        if (!PLAIN.matcher(s).matches()) {
            throw new IllegalArgumentException("not a plain DN or address for a shell line: " + s);
        }
        return s;
    }
}
