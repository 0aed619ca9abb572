package org.vmgrid.blahservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.api.VmgridException;
import org.vmgrid.config.LimitsSection;
import org.vmgrid.config.PolicySection;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.decision.VmLimits;
import org.vmgrid.decision.VoImagePolicy;

class HookAdmissionTest {

    private static final String TAG = "GlueHostApplicationSoftwareRunTimeEnvironment";
    private static final String IMAGE = TAG + "[0]='\"VM-IMAGE-" + TestImages.UUID + "\"'";
    private final ImageCatalog catalog = mock(ImageCatalog.class);
    private final DirectiveRenderer renderer = mock(DirectiveRenderer.class);
    private final LimitsSection limits = new LimitsSection(2048, 4096, 1, 4, NetworkMode.NONE, 16384, 256);
    private final HookAdmission admission = admission(PolicySection.open());

    /** A site whose every batch system's worker nodes are declared ready (the other rules are tested here). */
    private HookAdmission admission(PolicySection policy) {
        return admission(policy, EnumSet.allOf(Lrms.class));
    }

    private HookAdmission admission(PolicySection policy, Set<Lrms> vmBatchSystems) {
        return new HookAdmission(new SiteDecision(catalog, new VoImagePolicy(policy, Map.of("debian-test", TestImages.UUID)),
                new VmLimits(limits), vmBatchSystems, Clock.systemUTC()), renderer);
    }

    @BeforeEach
    void catalogue() {
        when(catalog.resolve(TestImages.UUID)).thenReturn(ImageResolution.found(TestImages.image(TestImages.UUID)));
        when(catalog.resolve(TestImages.OTHER_UUID)).thenReturn(ImageResolution.notUsable("list expired on 2020-01-01"));
        when(renderer.render(any(), any(), anyInt())).thenReturn(List.of("#SBATCH --constraint=vmgrid"));
    }

    /** The script BLAH runs: its shebang, the request file's lines, its source line. */
    private static HookRequest request(String lrms, String... lines) {
        return new HookRequest(lrms, "#!/bin/sh\n" + String.join("\n", lines) + "\nsource /blah/" + lrms
                + "_local_submit_attributes.sh\n");
    }

    @Test
    void jobWithoutVmRequestGetsNothingAndNoLookup() {
        HookAnswer a = admission.answer(request("slurm", TAG + "[0]='\"VO-atlas-production\"'", "Queue='grid'",
                "GlueHostMainMemoryRAMSize_Min='2000'"));
        assertEquals(List.of(), a.print());
        assertEquals("", a.refusal());
        verifyNoInteractions(catalog, renderer);
    }

    @Test
    void theCesTermsAreRenderedWithTheSiteOverhead() {
        HookAnswer a = admission.answer(request("slurm", TAG + "[0]='\"VO-x\"'", TAG + "[1]='\"VM-IMAGE-" + TestImages.UUID
                + "\"'", "VmgridMemory='1024'", "VmgridCPUs='2'", "VmgridNetwork='\"none\"'"));
        assertEquals(List.of("#SBATCH --constraint=vmgrid"), a.print());
        ArgumentCaptor<VmRequest> vm = ArgumentCaptor.forClass(VmRequest.class);
        verify(renderer).render(eq(Lrms.SLURM), vm.capture(), eq(256));
        assertEquals(1024, vm.getValue().memoryMiB());
        assertEquals(2, vm.getValue().cpus());
        assertEquals(TestImages.UUID, vm.getValue().image().uuid());
    }

    @Test
    void missingValuesTakeTheSiteDefaultsAndUnquotedTagsAreReadToo() {
        admission.answer(request("pbs", TAG + "[0]='VM-IMAGE-" + TestImages.UUID + "'"));
        ArgumentCaptor<VmRequest> vm = ArgumentCaptor.forClass(VmRequest.class);
        verify(renderer).render(eq(Lrms.PBS), vm.capture(), eq(256));
        assertEquals(2048, vm.getValue().memoryMiB());
        assertEquals(1, vm.getValue().cpus());
        assertEquals(NetworkMode.NONE, vm.getValue().network());
    }

    @Test
    void aVmRequestForABatchSystemWhoseWorkerNodesAreNotDeclaredReadyIsRefusedFirstWithTheReason() {
        HookAdmission slurmOnly = admission(PolicySection.open(), Set.of(Lrms.SLURM));
        String vm = TAG + "[0]='\"VM-IMAGE-" + TestImages.UUID + "\"'";
        for (Lrms lrms : List.of(Lrms.PBS, Lrms.SGE, Lrms.LSF, Lrms.CONDOR)) {
            for (HookRequest r : List.of(request(lrms.keyword(), vm), request(lrms.keyword(), vm, "VmgridMemory='999999'"),
                    request(lrms.keyword(), TAG + "[0]='\"VM-IMAGE-" + TestImages.OTHER_UUID + "\"'"))) {
                HookAnswer a = slurmOnly.answer(r);
                assertEquals(Refusal.BATCH_SYSTEM_NOT_READY.directives(lrms), a.print(), r.script());
                assertEquals("vmgrid refused this VM job (batch-system-not-ready): this site's " + lrms.keyword()
                        + " worker nodes are not declared ready for VM jobs "
                        + "(vm.batch.systems of site.properties: slurm), so a VM job there would run on the host; submit it "
                        + "without a VM or to a CE whose batch system runs VM jobs (site admins: install vmgrid's worker-node "
                        + "side, docs/install-batch.md, then declare " + lrms.keyword() + ")", a.refusal());
            }
        }
        verifyNoInteractions(catalog, renderer);
        assertEquals(List.of("#SBATCH --constraint=vmgrid"), slurmOnly.answer(request("slurm", vm)).print());
        HookAnswer none = admission(PolicySection.open(), Set.of()).answer(request("slurm", vm));
        assertTrue(none.refusal().contains("(vm.batch.systems of site.properties: none)"), none.refusal());
    }

    @Test
    void aPlainJobPassesWhateverBatchSystemsAreDeclaredReady() {
        HookAnswer a = admission(PolicySection.open(), Set.of()).answer(request("sge", TAG + "[0]='\"VO-atlas-production\"'"));
        assertEquals(List.of(), a.print());
        assertEquals("", a.refusal());
    }

    @Test
    void unusableImageIsRefusedWithTheCatalogueReason() {
        HookAnswer a = admission.answer(request("slurm", TAG + "[0]='\"VM-IMAGE-" + TestImages.OTHER_UUID + "\"'"));
        assertEquals(List.of("#SBATCH --vmgrid-refused=image-not-usable"), a.print());
        assertTrue(a.refusal().contains("list expired on 2020-01-01"), a.refusal());
    }

    @Test
    void onlyWhatTheCeWritesIsReadEverythingElseIsABadRequest() {
        List<HookRequest> bad = List.of(
                request("slurm", "VmgridMemory='1024'"),
                request("slurm", IMAGE, TAG + "[1]='\"VM-IMAGE-" + TestImages.UUID + "\"'"),
                request("slurm", TAG + "[0]='\"VM-IMAGE-sl6wn\"'"),
                request("slurm", TAG + "[0]='\"VM-IMAGE-" + TestImages.UUID.toUpperCase() + "\"'"),
                request("slurm", IMAGE, "VmgridMemory='2048$(reboot)'"),
                request("slurm", IMAGE, "VmgridMemory=' 2048'"),
                request("slurm", IMAGE, "VmgridMemory='\"2048\"'"),
                request("slurm", IMAGE, "VmgridMemory='02048'"),
                request("slurm", IMAGE, "VmgridCPUs='-1'"),
                request("slurm", IMAGE, "VmgridNetwork='\"NONE\"'"),
                request("slurm", IMAGE, "VmgridNetwork='\"none\\n#SBATCH --uid=0\"'"),
                request("slurm", IMAGE, "VmgridNetwork='\"bridged\"'"),
                request("slurm", IMAGE, "VmgridMemory='1024'", "VmgridMemory='4096'"),
                request("slurm", IMAGE, "VmgridMemory[0]='1024'"),
                request("slurm", IMAGE, "VmgridMemory_Min='4096'"),
                request("slurm", IMAGE, "vmgridmemory='4096'"),
                request("slurm", IMAGE, "VMGRID_HOME='\"/srv/evil\"'"),
                request("slurm", IMAGE, "vmgrid_socket='/tmp/evil.sock'"),
                request("slurm", IMAGE, "Vmgrid;touch x;y='1'"),
                request("slurm", IMAGE, "VmgridMemory=1024"));
        for (HookRequest r : bad) {
            HookAnswer a = admission.answer(r);
            assertEquals(List.of("#SBATCH --vmgrid-refused=bad-request"), a.print(), r.script());
            assertTrue(a.refusal().startsWith("vmgrid refused this VM job (bad-request): "), a.refusal());
        }
        verifyNoInteractions(renderer);
    }

    @Test
    void beyondTheLimitsIsRefusedInTheRequestFilesWords() {
        for (String line : List.of("VmgridMemory='8192'", "VmgridMemory='64'", "VmgridCPUs='5'", "VmgridNetwork='\"outbound\"'")) {
            HookAnswer a = admission.answer(request("sge", IMAGE, line));
            assertEquals(List.of("#$ --vmgrid-refused=over-limit"), a.print(), line);
            assertTrue(a.refusal().contains(line.substring(0, line.indexOf('=')) + " = "), a.refusal());
        }
    }

    @Test
    void encoderRefusalBecomesARefusal() {
        when(renderer.render(any(), any(), anyInt())).thenThrow(new VmgridException("unsafe value"));
        HookAnswer a = admission.answer(request("condor", IMAGE));
        assertEquals(List.of("hold = True", "+VmgridRefused = \"bad-request\""), a.print());
    }

    private HookAdmission withPolicy() {
        return admission(new PolicySection(Map.of("dteam", List.of("debian-test"), "atlas", List.of("*"), "lhcb", List.of()),
                true));
    }

    @Test
    void voPolicyAdmitsTheVosItNamesAsBlahPassesThem() {
        HookAdmission policed = withPolicy();
        assertEquals(List.of("#SBATCH --constraint=vmgrid"), policed.answer(request("slurm", "VirtualOrganisation='dteam'",
                IMAGE)).print());
        assertEquals(List.of("#SBATCH --constraint=vmgrid"), policed.answer(request("slurm",
                "x509UserProxyFQAN='\"userFQAN=/atlas/Role=production/Capability=NULL\" \"userFQAN=/atlas/Role=NULL/Capability=NULL\"'",
                IMAGE)).print());
        assertEquals(List.of("#SBATCH --constraint=vmgrid"), policed.answer(request("slurm", "VirtualOrganisation='dteam'",
                "x509UserProxyFQAN='/dteam/Role=NULL/Capability=NULL'", IMAGE)).print());
    }

    @Test
    void voPolicyRefusesOtherVosAndAnUnknownVo() {
        HookAdmission policed = withPolicy();
        HookAnswer cms = policed.answer(request("slurm", "VirtualOrganisation='cms'",
                "x509UserProxyFQAN='\"userFQAN=/cms/Role=NULL/Capability=NULL\"'", IMAGE));
        assertEquals(List.of("#SBATCH --vmgrid-refused=vo-not-allowed"), cms.print());
        assertTrue(cms.refusal().contains("VO cms may use no VM image at this site"), cms.refusal());
        HookAnswer none = policed.answer(request("slurm", IMAGE));
        assertEquals(List.of("#SBATCH --vmgrid-refused=vo-not-allowed"), none.print());
        assertTrue(none.refusal().contains("not known"), none.refusal());
        verifyNoInteractions(renderer);
    }

    @Test
    void oddIdentityIsABadRequestEvenWithoutPolicy() {
        for (String[] lines : List.of(new String[] {"VirtualOrganisation='dteam$(id)'"},
                new String[] {"x509UserProxyFQAN='\"userFQAN=/dteam/$(id)\"'"},
                new String[] {"VirtualOrganisation='cms'", "x509UserProxyFQAN='\"userFQAN=/dteam\"'"},
                new String[] {"VirtualOrganisation='dteam'", "VirtualOrganisation='\"atlas\"'"},
                new String[] {"x509UserProxyFQAN='\"userDN=/DC=org/CN=x\"'"})) {
            String[] all = java.util.Arrays.copyOf(lines, lines.length + 1);
            all[lines.length] = IMAGE;
            assertEquals(List.of("#SBATCH --vmgrid-refused=bad-request"), admission.answer(request("slurm", all)).print(),
                    String.join(" ", lines));
        }
        verifyNoInteractions(renderer);
    }

    @Test
    void unknownBatchSystemIsAnError() {
        assertThrows(HookServiceException.class, () -> admission.answer(new HookRequest("SLURM", IMAGE)));
        assertThrows(HookServiceException.class, () -> admission.answer(new HookRequest("", "")));
    }
}
