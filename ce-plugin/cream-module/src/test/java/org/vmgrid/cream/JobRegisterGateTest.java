package org.vmgrid.cream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.Admission;
import org.vmgrid.api.AdmissionService;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.JobContext;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.Verdict;
import org.vmgrid.api.VmRequest;

class JobRegisterGateTest {

    private static final String UUID = "c0ffee00-1234-4abc-8def-0123456789ab";
    private final AdmissionService admission = mock(AdmissionService.class);
    private final JdlRewriter rewriter = mock(JdlRewriter.class);
    private final JobRegisterGate gate = new JobRegisterGate(admission, rewriter);
    private final JobContext context = new JobContext(Optional.empty(), List.of(), Lrms.SLURM);

    private static VmRequest vm() {
        ImageDescriptor image = new ImageDescriptor(UUID, "t", "1", URI.create("file:///i.qcow2"), 1, "a".repeat(128),
                URI.create("file:///l.json"), Instant.parse("2099-01-01T00:00:00Z"), List.of());
        return new VmRequest(image, 2048, 2, NetworkMode.OUTBOUND, "");
    }

    @Test
    void plainJobPassesUntouched() {
        when(admission.admit("[a=1]", context)).thenReturn(Admission.plainJob());
        DescriptionOutcome o = gate.check(new JobDescription("p", "[a=1]"), context);
        assertEquals(DescriptionOutcome.Kind.PLAIN, o.kind());
        assertEquals("[a=1]", o.jdl());
        verify(rewriter, never()).withVmRequirements(anyString(), anyString());
    }

    @Test
    void vmJobIsRewrittenWithTheTypedTerms() {
        when(admission.admit(anyString(), any())).thenReturn(Admission.vmJob(vm(), List.of()));
        String terms = "Member(\"VM-IMAGE-" + UUID + "\", other.GlueHostApplicationSoftwareRunTimeEnvironment)"
                + " && other.VmgridMemory == 2048 && other.VmgridCPUs == 2 && other.VmgridNetwork == \"outbound\"";
        when(rewriter.withVmRequirements("[vm]", terms)).thenReturn("[rewritten]");
        DescriptionOutcome o = gate.check(new JobDescription("v", "[vm]"), context);
        assertEquals(DescriptionOutcome.Kind.VM, o.kind());
        assertEquals("[rewritten]", o.jdl());
    }

    @Test
    void rewriteFailureIsARefusalWithItsReason() {
        when(admission.admit(anyString(), any())).thenReturn(Admission.vmJob(vm(), List.of()));
        when(rewriter.withVmRequirements(eq("[vm]"), anyString())).thenThrow(new CreamModuleException("remove it"));
        DescriptionOutcome o = gate.check(new JobDescription("v", "[vm]"), context);
        assertEquals(DescriptionOutcome.Kind.REFUSED, o.kind());
        assertEquals("remove it", o.reason());
    }

    @Test
    void refusedAndMalformedCarryTheDoorsVerdictAndReasonAndAreNotRewritten() {
        JobContext dteam = new JobContext(Optional.of("dteam"), List.of(), Lrms.SLURM);
        when(admission.admit(eq("[r]"), any())).thenReturn(Admission.refused("image expired"));
        when(admission.admit(eq("[m]"), any())).thenReturn(Admission.malformed("line 1, column 2: bad"));
        List<DescriptionOutcome> out = gate.check(List.of(new JobDescription("r", "[r]"), new JobDescription("m", "[m]")),
                dteam);
        assertEquals("image expired", out.get(0).reason());
        assertEquals(Verdict.REFUSED, out.get(0).verdict());
        assertEquals("line 1, column 2: bad", out.get(1).reason());
        assertEquals(Verdict.MALFORMED, out.get(1).verdict());
        verify(rewriter, never()).withVmRequirements(anyString(), anyString());
        verify(admission).admit("[r]", dteam);
    }

    @Test
    void faultReasonNamesEachRefusedDescriptionByPositionIdAndVerdict() {
        List<DescriptionOutcome> out = List.of(
                DescriptionOutcome.plain(new JobDescription("a", "[]")),
                DescriptionOutcome.refused(new JobDescription("b\n<x>\"", "[]"), Verdict.REFUSED, "image expired"),
                DescriptionOutcome.refused(new JobDescription("c".repeat(100), "[]"), Verdict.MALFORMED, "line 1"));
        String reason = JobRegisterGate.faultReason(out).orElseThrow();
        assertEquals("vmgrid refused 2 of 3 job description(s); nothing was registered; correct and resubmit: "
                + "job description 2 (jobDescriptionId \"b?<x>?\") refused: image expired; "
                + "job description 3 (jobDescriptionId \"" + "c".repeat(64) + "...\") malformed: line 1", reason);
        assertTrue(JobRegisterGate.faultReason(out.subList(0, 1)).isEmpty());
    }
}
