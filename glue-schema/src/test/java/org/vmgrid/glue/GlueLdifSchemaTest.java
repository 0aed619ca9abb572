package org.vmgrid.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every object class and attribute the LDIF mapping emits exists in the installed GLUE LDAP schemas, and each entry obeys them. */
class GlueLdifSchemaTest {

    private static LdapSchema schema;

    @BeforeAll
    static void readInstalledSchemas() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/etc/ldap/schema"))) {
            s.filter(p -> p.getFileName().toString().matches("GLUE20\\.schema|Glue-.*\\.schema")).sorted().forEach(files::add);
        }
        assertTrue(files.size() >= 5, "glue-schema (Debian) must be installed: " + files);
        schema = LdapSchema.read(files);
        assertTrue(schema.classes.containsKey("glue2executionenvironment"), "schema parser found GLUE 2.0 classes");
        assertTrue(schema.classes.containsKey("gluesubcluster"), "schema parser found GLUE 1.3 classes");
    }

    @Test
    void glue13EntriesObeyTheSchema() {
        List<LdifEntry> entries = new GlueLdif().glue13(GlueFixtures.glue13Ce(), GlueFixtures.glue13SubCluster());
        assertEquals(3, entries.size());
        entries.forEach(GlueLdifSchemaTest::check);
    }

    @Test
    void glue2EntriesObeyTheSchema() {
        List<LdifEntry> entries = new GlueLdif().glue2(GlueFixtures.glue2());
        assertEquals(3 + 2 + 3, entries.size());
        entries.forEach(GlueLdifSchemaTest::check);
    }

    @Test
    void aMisspelledAttributeIsCaught() {
        LdifEntry bad = LdifEntry.builder(Dn.suffix("GLUE2GroupID=resource,o=glue").child("GLUE2ServiceID", "x"))
                .add("objectClass", "GLUE2Service").add("GLUE2ServiceID", "x").add("GLUE2ServiceTyp", "t").build();
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> check(bad));
        assertTrue(e.getMessage().contains("GLUE2ServiceTyp"), e.getMessage());
    }

    private static void check(LdifEntry e) {
        List<String> classes = e.values("objectClass");
        assertFalse(classes.isEmpty(), e.dn() + ": no objectClass");
        for (String c : classes) {
            if (!schema.classes.containsKey(c.toLowerCase(Locale.ROOT))) {
                throw new AssertionError(e.dn() + ": object class " + c + " is not in the installed schema");
            }
        }
        Set<String> allowed = schema.allowed(classes, false);
        Map<String, Integer> counts = new HashMap<>();
        for (LdifEntry.Attribute a : e.attributes()) {
            String n = a.name().toLowerCase(Locale.ROOT);
            if (n.equals("objectclass")) {
                continue;
            }
            if (!schema.singleValued.containsKey(n)) {
                throw new AssertionError(e.dn() + ": attribute " + a.name() + " is not in the installed schema");
            }
            if (!allowed.contains(n)) {
                throw new AssertionError(e.dn() + ": attribute " + a.name() + " is not allowed by " + classes);
            }
            counts.merge(n, 1, Integer::sum);
        }
        counts.forEach((n, k) -> {
            if (k > 1 && schema.singleValued.get(n)) {
                throw new AssertionError(e.dn() + ": single-valued attribute " + n + " given " + k + " times");
            }
        });
        for (String must : schema.allowed(classes, true)) {
            if (!counts.containsKey(must)) {
                throw new AssertionError(e.dn() + ": required attribute " + must + " missing");
            }
        }
        // the RDN attribute must be one of the entry's values
        Dn.Rdn rdn = e.dn().rdns().get(0);
        assertTrue(e.values(rdn.attribute()).contains(rdn.value()), e.dn() + ": RDN value not among the entry's values");
    }
}
