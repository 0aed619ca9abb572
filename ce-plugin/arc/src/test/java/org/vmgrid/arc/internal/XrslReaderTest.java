package org.vmgrid.arc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.vmgrid.arc.ArcDescriptionException;
import org.vmgrid.arc.ArcJob;
import org.vmgrid.arc.RuntimeEnvironmentRequest;

class XrslReaderTest {

    @Test
    void readsRuntimeEnvironmentsWithOptionsMemoryAndCount() {
        ArcJob j = XrslReader.read("""
                &(executable="/bin/sh")(arguments="-c" "echo ""hi"" it's")
                 (* a comment (with parentheses) *)
                 (runTimeEnvironment = "VMGRID/IMAGE/debian-test")
                 (RUNTIMEENVIRONMENT="ENV/VMGRID" "memory=512" 'cpus=2' ^!network=none!^)
                 (memory=300)(count="2")(jobname=vm)
                """);
        assertEquals("xRSL", j.format());
        assertEquals(List.of(new RuntimeEnvironmentRequest("VMGRID/IMAGE/debian-test", List.of()),
                new RuntimeEnvironmentRequest("ENV/VMGRID", List.of("memory=512", "cpus=2", "network=none"))),
                j.runtimeEnvironments());
        assertEquals(OptionalLong.of(300), j.memoryMiB());
        assertEquals(OptionalLong.of(2), j.slots());
    }

    @Test
    void quotesAreDoubledInsideQuotedValues() {
        List<XrslReader.Relation> r = XrslReader.relations("&(arguments=\"q\"\"uote\" 'it''s' plain)");
        assertEquals(List.of(new XrslReader.Literal("q\"uote"), new XrslReader.Literal("it's"),
                new XrslReader.Literal("plain")), r.get(0).values());
    }

    @Test
    void otherRelationsMayUseListsVariablesAndConcatenation() {
        ArcJob j = XrslReader.read("&(inputfiles=(\"a\" \"\")(\"b\" \"gsiftp://x/\" # $(NAME)))(executable=$(HOME)#\"/x\")"
                + "(runtimeenvironment>=\"APPS/HEP/ATLAS-1.0\")");
        assertEquals(List.of(), j.runtimeEnvironments(), "a version relation of another RTE is the client's to resolve");
        assertEquals(OptionalLong.empty(), j.memoryMiB());
    }

    @Test
    void vmgridRuntimeEnvironmentsMustBeAskedWithEqualsAndPlainValues() {
        assertMessage("&(runtimeenvironment>=\"VMGRID/IMAGE/debian-11\")", "line 1, column 2: ask for vmgrid's runtime "
                + "environments with '=', not '>='");
        assertMessage("&(executable=x)\n (runtimeenvironment=\"ENV/VMGRID\" \"memory=\"#$(M))",
                "line 2, column 2: vmgrid's runtime environments take plain quoted values only");
    }

    @Test
    void errorsSayWhereAndWhat() {
        assertMessage("&(executable=\"/bin/sh\")\n(arguments=\"-c)", "xRSL line 2, column 12: the quoted value starting here "
                + "is not closed with \"");
        assertMessage("&(executable \"/bin/sh\")", "column 14: expected an operator");
        assertMessage("+(&(executable=a))(&(executable=b))", "multi-job description (+)");
        assertMessage("|(executable=a)(executable=b)", "alternatives (|)");
        assertMessage("&(executable=a)(|(count=1)(count=2))", "nested alternatives (|)");
        assertMessage("&(memory=\"lots\")", "(memory) must be one whole number of MiB");
        assertMessage("&(count=1)(count=2)", "(count) is given twice");
        assertMessage("&", "no relation");
        assertMessage("&(executable=a) junk", "unexpected 'j' after the last relation");
        assertMessage("&(* open comment", "the comment (* is not closed");
    }

    private static void assertMessage(String xrsl, String expected) {
        ArcDescriptionException e = assertThrows(ArcDescriptionException.class, () -> XrslReader.read(xrsl));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void nestingDeeperThanAnyDescriptionNeedsIsRefusedSayingSo() {
        String lists = "&(executable=" + "(".repeat(XrslReader.MAX_DEPTH + 1) + "x" + ")".repeat(XrslReader.MAX_DEPTH + 1) + ")";
        assertTrue(assertThrows(ArcDescriptionException.class, () -> XrslReader.read(lists)).getMessage()
                .contains("nested more than 64 deep"));
        String conjunctions = "&" + "(&".repeat(XrslReader.MAX_DEPTH + 1) + "(executable=x)" + ")".repeat(XrslReader.MAX_DEPTH + 1);
        assertTrue(assertThrows(ArcDescriptionException.class, () -> XrslReader.read(conjunctions)).getMessage()
                .contains("nested more than 64 deep"));
        assertEquals(1, XrslReader.relations("&(executable=" + "(".repeat(XrslReader.MAX_DEPTH) + "x"
                + ")".repeat(XrslReader.MAX_DEPTH) + ")").size());
    }
}
