package org.vmgrid.cream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vmgrid.cream.CreamModuleException;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.Value;

class JdlLibraryRewriterTest {

    private static final String TERMS = "Member(\"VM-IMAGE-c0ffee00-1234-4abc-8def-0123456789ab\", "
            + "other.GlueHostApplicationSoftwareRunTimeEnvironment) && other.VmgridMemory == 2048 && other.VmgridCPUs == 1"
            + " && other.VmgridNetwork == \"none\"";
    private final JdlLibraryRewriter rewriter = new JdlLibraryRewriter();

    private static String requirement(String jdl) {
        return ((Value.Str) Jdl.evaluate(Jdl.parse(jdl), "CERequirements")).value();
    }

    @Test
    void addsCeRequirementsWhenAbsent() {
        String out = rewriter.withVmRequirements("[ Executable = \"/bin/true\"; ]", TERMS);
        assertEquals(TERMS, requirement(out));
        assertEquals(Optional.of(new org.vmgrid.jdl.Expr.Literal(new Value.Str("/bin/true"))),
                Jdl.parse(out).get("Executable"));
    }

    @Test
    void keepsUserTermsAsOneFlatChainAndDropsTheirImageTags() {
        String jdl = "[ cerequirements = \"other.A > 1 && Member(\\\"vm-image-alias\\\", other.GlueHostApplicationSoftware"
                + "RunTimeEnvironment) && (other.B == 2 || other.C == 3)\"; ]";
        String out = rewriter.withVmRequirements(jdl, TERMS);
        assertEquals("other.A > 1 && (other.B == 2 || other.C == 3) && " + TERMS, requirement(out));
        assertTrue(out.contains("cerequirements ="), out);
    }

    @Test
    void anExpressionWrittenDirectlyIsReadToo() {
        String out = rewriter.withVmRequirements("[ CERequirements = other.A > 1; ]", TERMS);
        assertEquals("other.A > 1 && " + TERMS, requirement(out));
    }

    @Test
    void brokenRequirementOrJdlIsRefusedWithWhatToFix() {
        CreamModuleException e = assertThrows(CreamModuleException.class,
                () -> rewriter.withVmRequirements("[ CERequirements = \"x) || (y\"; ]", TERMS));
        assertTrue(e.getMessage().startsWith("the JDL or its CERequirements does not parse"), e.getMessage());
        assertThrows(CreamModuleException.class, () -> rewriter.withVmRequirements("[ a = ", TERMS));
    }
}
