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
        when(rewriter.reservedTermsInPlainJob("[a=1]")).thenReturn(Optional.empty());
        DescriptionOutcome o = gate.check(new JobDescription("p", "[a=1]"), context);
        assertEquals(DescriptionOutcome.Kind.PLAIN, o.kind());
        assertEquals("[a=1]", o.jdl());
    }

    @Test
    void plainJobNamingReservedTermsIsRefused() {
        when(admission.admit(anyString(), any())).thenReturn(Admission.plainJob());
        when(rewriter.reservedTermsInPlainJob(anyString())).thenReturn(Optional.of("names the attribute VmgridMemory"));
        DescriptionOutcome o = gate.check(new JobDescription("p", "[x]"), context);
        assertEquals(DescriptionOutcome.Kind.REFUSED, o.kind());
        assertEquals("names the attribute VmgridMemory", o.reason());
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
    void refusedAndMalformedCarryTheAdmissionReasonAndAreNotRewritten() {
        when(admission.admit(eq("[r]"), any())).thenReturn(Admission.refused("image expired"));
        when(admission.admit(eq("[m]"), any())).thenReturn(Admission.malformed("line 1, column 2: bad"));
        List<DescriptionOutcome> out = gate.check(List.of(new JobDescription("r", "[r]"), new JobDescription("m", "[m]")),
                context);
        assertEquals("image expired", out.get(0).reason());
        assertEquals("line 1, column 2: bad", out.get(1).reason());
        verify(rewriter, never()).withVmRequirements(anyString(), anyString());
        verify(rewriter, never()).reservedTermsInPlainJob(anyString());
    }

    @Test
    void faultReasonNamesEachRefusedDescriptionByPositionAndId() {
        List<DescriptionOutcome> out = List.of(
                DescriptionOutcome.plain(new JobDescription("a", "[]")),
                DescriptionOutcome.refused(new JobDescription("b\n<x>\"", "[]"), "image expired"),
                DescriptionOutcome.refused(new JobDescription("c".repeat(100), "[]"), "too much memory"));
        String reason = JobRegisterGate.faultReason(out).orElseThrow();
        assertEquals("vmgrid refused 2 of 3 job description(s); nothing was registered; correct and resubmit: "
                + "job description 2 (jobDescriptionId \"b?<x>?\"): image expired; "
                + "job description 3 (jobDescriptionId \"" + "c".repeat(64) + "...\"): too much memory", reason);
        assertTrue(JobRegisterGate.faultReason(out.subList(0, 1)).isEmpty());
    }

    @Test
    void theAuthenticatedVoIsUsedAndAJdlNamingAnotherIsRefused() {
        JobContext dteam = new JobContext(Optional.of("dteam"), List.of(), Lrms.SLURM);
        when(admission.admit(anyString(), any())).thenReturn(Admission.vmJob(vm(), List.of()));
        when(rewriter.withVmRequirements(anyString(), anyString())).thenReturn("[rewritten]");
        when(rewriter.virtualOrganisation("[vm]")).thenReturn(Optional.empty());
        when(rewriter.virtualOrganisation("[cms]")).thenReturn(Optional.of("cms"));
        assertEquals(DescriptionOutcome.Kind.VM, gate.check(new JobDescription("v", "[vm]"), dteam).kind());
        verify(admission).admit("[vm]", dteam);
        DescriptionOutcome o = gate.check(new JobDescription("c", "[cms]"), dteam);
        assertEquals(DescriptionOutcome.Kind.REFUSED, o.kind());
        assertTrue(o.reason().contains("VirtualOrganisation \"cms\" is not the VO of your proxy (dteam)"), o.reason());
    }

    @Test
    void withoutAnAuthenticatedVoTheJdlsVirtualOrganisationIsUsed() {
        when(admission.admit(anyString(), any())).thenReturn(Admission.vmJob(vm(), List.of()));
        when(rewriter.withVmRequirements(anyString(), anyString())).thenReturn("[rewritten]");
        when(rewriter.virtualOrganisation("[vm]")).thenReturn(Optional.of("dteam"));
        gate.check(new JobDescription("v", "[vm]"), context);
        verify(admission).admit("[vm]", new JobContext(Optional.of("dteam"), List.of(), Lrms.SLURM));
    }

    @Test
    void anOddVoRefusesVmJobsButNotPlainOnes() {
        when(rewriter.virtualOrganisation(anyString())).thenReturn(Optional.of("dteam\n$(id)"));
        when(admission.admit(eq("[vm]"), any())).thenReturn(Admission.vmJob(vm(), List.of()));
        when(admission.admit(eq("[plain]"), any())).thenReturn(Admission.plainJob());
        when(admission.admit(eq("[refused]"), any())).thenReturn(Admission.refused("VO is not known"));
        DescriptionOutcome vm = gate.check(new JobDescription("v", "[vm]"), context);
        assertEquals(DescriptionOutcome.Kind.REFUSED, vm.kind());
        assertTrue(vm.reason().startsWith("VirtualOrganisation \"dteam?$(id)\" is not a VO name"), vm.reason());
        assertEquals(DescriptionOutcome.Kind.PLAIN, gate.check(new JobDescription("p", "[plain]"), context).kind());
        assertTrue(gate.check(new JobDescription("r", "[refused]"), context).reason().endsWith("; VO is not known"));
        verify(admission).admit("[vm]", context);
    }
}
