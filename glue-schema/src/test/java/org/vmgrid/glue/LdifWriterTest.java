package org.vmgrid.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LdifWriterTest {

    private final LdifWriter writer = new LdifWriter();
    private final Dn base = Dn.suffix("GLUE2GroupID=resource,o=glue");

    @ParameterizedTest
    @ValueSource(strings = {" leading space", ":colon first", "<less than first", "trailing space ", "line\nbreak",
        "carriage\rreturn", "nul\u0000inside", "bell\u0007", "caf\u00e9", "\u4e2d\u6587", "x dn: o=grid", "DN: o=grid"})
    void unsafeValuesAreBase64AndDecodeBack(String hostile) {
        String out = writer.write(List.of(LdifEntry.builder(base.child("GLUE2ServiceID", "s")).add("GLUE2EntityName", hostile).build()));
        String line = out.lines().filter(l -> l.startsWith("GLUE2EntityName")).findFirst().orElseThrow();
        assertTrue(line.startsWith("GLUE2EntityName:: "), line);
        String decoded = new String(Base64.getDecoder().decode(line.substring("GLUE2EntityName:: ".length())), StandardCharsets.UTF_8);
        assertEquals(hostile, decoded);
        assertEquals(4, out.split("\n", -1).length, "no value may add lines: " + out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"VM-IMAGE-3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47", "a:b=c, d", "ImageListURI=file:///x", "100"})
    void safeValuesArePlain(String value) {
        assertFalse(LdifWriter.needsBase64(value));
        String out = writer.write(List.of(LdifEntry.builder(base.child("GLUE2ServiceID", "s")).add("GLUE2EntityName", value).build()));
        assertTrue(out.contains("\nGLUE2EntityName: " + value + "\n"), out);
    }

    @Test
    void emptyValuesAreDropped() {
        LdifEntry e = LdifEntry.builder(base.child("GLUE2ServiceID", "s")).add("GLUE2EntityName", "", null).build();
        assertEquals(List.of(), e.attributes());
    }

    @Test
    void dnSpecialsAreEscapedPerRfc2253() {
        Dn dn = base.child("GLUE2ApplicationEnvironmentID", "#a,b+c\"d\\e<f>g;h=i ");
        assertEquals("GLUE2ApplicationEnvironmentID=\\#a\\,b\\+c\\\"d\\\\e\\<f\\>g\\;h\\=i\\ ,GLUE2GroupID=resource,o=glue",
                dn.toString());
        assertEquals("GLUE2ServiceID=\\ x,o=glue", Dn.suffix("o=glue").child("GLUE2ServiceID", " x").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"new\nline", "caf\u00e9", "tab\t", "nul\u0000"})
    void dnValuesThatBdiiCannotFindAreRefused(String hostile) {
        GlueEncodingException e = assertThrows(GlueEncodingException.class, () -> base.child("GLUE2ServiceID", hostile));
        assertTrue(e.getMessage().contains("GLUE2ServiceID"), e.getMessage());
    }

    @Test
    void badAttributeNamesAreRefused() {
        assertThrows(GlueEncodingException.class, () -> LdifEntry.builder(base).add("evil: x\nobjectClass", "v"));
        assertThrows(GlueEncodingException.class, () -> base.child("a=b", "v"));
    }

    @Test
    void additionsAreOneModifyRecordPerEntryWithAnAddBlockPerAttribute() {
        LdifEntry e = LdifEntry.builder(base.child("GLUE2ServiceID", "urn:ogf:ComputingService:h:arex"))
                .add("GLUE2ServiceCapability", "a", "b").add("GLUE2EntityOtherInfo", "x\ny").build();
        assertEquals("dn: GLUE2ServiceID=urn:ogf:ComputingService:h:arex,GLUE2GroupID=resource,o=glue\n"
                + "changetype: modify\nadd: GLUE2ServiceCapability\nGLUE2ServiceCapability: a\nGLUE2ServiceCapability: b\n-\n"
                + "add: GLUE2EntityOtherInfo\nGLUE2EntityOtherInfo:: eAp5\n-\n\n", writer.writeAdditions(List.of(e)));
    }
}
