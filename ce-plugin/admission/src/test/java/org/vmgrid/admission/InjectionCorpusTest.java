package org.vmgrid.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.Admission;
import org.vmgrid.api.JobContext;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.Verdict;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.decision.VmLimits;
import org.vmgrid.decision.VoImagePolicy;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.testing.HostileText;

/** Hostile values in every place a user can put one: none is ever accepted, and no directive carries one. */
class InjectionCorpusTest {

    static final List<String> HOSTILE = java.util.stream.Stream.concat(HostileText.VALUES.stream(), java.util.stream.Stream.of(
            "debian-test\n#SBATCH --uid=0", "debian-test\r\n#PBS -l nodes=100", "debian-test\"; rm -rf / ; \"",
            "debian-test'", "$(reboot)", "${IFS}", "`id`", "debian-test;id", "debian-test && id", "debian-test|id",
            "debian-test\u0000", "débian-test", "debian-test\u2028", "debian\u200btest", "DEBIAN-TEST",
            TestCatalog.UUID + "\n", TestCatalog.UUID + " ", " " + TestCatalog.UUID, "../../etc/passwd",
            "debian-test\\", "x".repeat(100_000), "\u202e" + "tset-naibed", "debian-test#", "debian test")).toList();

    static final Pattern SAFE_LINE = Pattern.compile("[A-Za-z0-9 #$._:,=+\"/\\[\\]()?-]+");

    /** The built-in site with every batch system's worker nodes declared ready: each one's directives are checked. */
    private final SiteAdmission site = new SiteAdmission(new SiteDecision(TestCatalog.catalog(),
            new VoImagePolicy(SiteConfig.builtIn().policy(), SiteConfig.builtIn().images().aliases()),
            new VmLimits(SiteConfig.builtIn().limits()), EnumSet.allOf(Lrms.class), SiteAdmissionTest.NOW));

    static List<String> jdlsWith(String value) {
        String q = Jdl.quote(value);
        String member = "Member(" + q + ", other.GlueHostApplicationSoftwareRunTimeEnvironment)";
        String tagQ = Jdl.quote("VM-IMAGE-" + value);
        return List.of(
                "[ Executable = \"x\"; VirtualMachine = [ Image = " + q + " ]; ]",
                "[ Executable = \"x\"; VirtualMachine = [ Image = \"debian-test\"; Network = " + q + " ]; ]",
                "[ Executable = \"x\"; VirtualMachine = [ Image = \"debian-test\"; Memory = " + q + " ]; ]",
                "[ Executable = \"x\"; CeRequirements = " + Jdl.quote("Member(" + tagQ + ", other.GlueHostApplicationSoftwareRunTimeEnvironment)") + " ]",
                "[ Executable = \"x\"; Requirements = Member(" + tagQ + ", other.GlueHostApplicationSoftwareRunTimeEnvironment) ]",
                "[ Executable = \"x\"; Requirements = " + member + " ]",
                "[ Executable = \"x\"; VirtualMachine = [ Image = \"debian-test\" ]; CeRequirements = "
                        + Jdl.quote("Member(" + tagQ + ", other.GlueHostApplicationSoftwareRunTimeEnvironment)") + " ]");
    }

    @Test
    void noHostileValueIsAcceptedOrReachesADirective() {
        List<String> checked = new ArrayList<>();
        for (String value : HOSTILE) {
            for (String jdl : jdlsWith(value)) {
                for (Lrms lrms : Lrms.values()) {
                    Admission a = site.admit(jdl, new JobContext(Optional.of("dteam"), List.of(), lrms));
                    // a plain Member() without the VM-IMAGE- prefix is a plain job: accepted, but with no VM
                    assertTrue(a.vm().isEmpty() && a.directives().isEmpty(), jdl);
                    if (jdl.contains("VirtualMachine") || jdl.contains("VM-IMAGE-")) {
                        assertNotEquals(Verdict.ACCEPTED, a.verdict(), jdl);
                    }
                    for (String line : a.directives()) {
                        assertTrue(SAFE_LINE.matcher(line).matches(), line);
                    }
                    assertTrue(a.reason().indexOf('\n') < 0 || a.verdict() == Verdict.MALFORMED, a.reason());
                    checked.add(jdl);
                }
            }
        }
        assertTrue(checked.size() >= HOSTILE.size() * 7 * Lrms.values().length);
    }

    @Test
    void userDataIsNeverRenderedIntoDirectives() {
        String jdl = "[ Executable = \"x\"; VirtualMachine = [ Image = \"debian-test\"; UserData = \"#!/bin/sh\\n$(reboot); `id`; \\\"'\" ]; ]";
        for (Lrms lrms : Lrms.values()) {
            Admission a = site.admit(jdl, new JobContext(Optional.empty(), List.of(), lrms));
            assertTrue(a.verdict() == Verdict.REFUSED, a.reason()); // no directive carries user data to the node
            assertEquals(List.of(), a.directives());
            assertTrue(a.reason().contains("user data is not carried"), a.reason());
            assertFalse(a.reason().contains("reboot"), a.reason());
        }
    }
}
