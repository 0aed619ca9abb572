package org.vmgrid.glue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The attribute types and object classes of OpenLDAP {@code .schema} files, read from the files
 * installed on this machine, so that no published name is trusted to hand typing. Names are kept
 * lower-case (LDAP compares them case-insensitively).
 */
final class LdapSchema {

    record ObjectClass(String name, List<String> sup, Set<String> must, Set<String> may) {
    }

    private static final Pattern DEFINITION = Pattern.compile("(?is)^\\s*(attributetype|objectclass)\\s*\\((.*?)\\)\\s*(?=^\\s*(?:attributetype|objectclass)\\b|\\z)", Pattern.MULTILINE);
    private static final Pattern DESC = Pattern.compile("(?s)DESC\\s+'[^']*'");

    final Map<String, Boolean> singleValued = new HashMap<>();
    final Map<String, ObjectClass> classes = new HashMap<>();

    static LdapSchema read(List<Path> files) throws IOException {
        LdapSchema s = new LdapSchema();
        for (Path f : files) {
            StringBuilder text = new StringBuilder();
            for (String line : Files.readAllLines(f)) {
                if (!line.stripLeading().startsWith("#")) {
                    text.append(line).append('\n');
                }
            }
            Matcher m = DEFINITION.matcher(text);
            while (m.find()) {
                String body = DESC.matcher(m.group(2)).replaceAll(" ");
                List<String> names = names(field(body, "NAME"));
                if (m.group(1).equalsIgnoreCase("attributetype")) {
                    boolean single = body.toUpperCase(Locale.ROOT).contains("SINGLE-VALUE");
                    names.forEach(n -> s.singleValued.put(n, single));
                } else {
                    ObjectClass oc = new ObjectClass(names.get(0), names(field(body, "SUP")),
                            new HashSet<>(names(field(body, "MUST"))), new HashSet<>(names(field(body, "MAY"))));
                    names.forEach(n -> s.classes.put(n, oc));
                }
            }
        }
        return s;
    }

    /** Every attribute an entry of these classes may hold, and those it must, following SUP chains. */
    Set<String> allowed(List<String> objectClasses, boolean mustOnly) {
        Set<String> out = new HashSet<>();
        List<String> todo = new ArrayList<>(objectClasses.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList());
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String c = todo.remove(todo.size() - 1);
            ObjectClass oc = classes.get(c);
            if (oc == null || !seen.add(c)) {
                continue;
            }
            out.addAll(oc.must());
            if (!mustOnly) {
                out.addAll(oc.may());
            }
            todo.addAll(oc.sup());
        }
        return out;
    }

    private static String field(String body, String keyword) {
        Matcher m = Pattern.compile("(?s)\\b" + keyword + "\\s+(\\([^)]*\\)|'[^']*'|[\\w.-]+)").matcher(body);
        return m.find() ? m.group(1) : "";
    }

    private static List<String> names(String field) {
        List<String> out = new ArrayList<>();
        for (String t : field.replaceAll("[()'$]", " ").trim().split("\\s+")) {
            if (!t.isEmpty()) {
                out.add(t.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
