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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

class HookAdmissionTest {

    private final ImageCatalog catalog = mock(ImageCatalog.class);
    private final DirectiveRenderer renderer = mock(DirectiveRenderer.class);
    private final LimitsSection limits = new LimitsSection(2048, 4096, 1, 4, NetworkMode.NONE, 16384, 256);
    private final HookAdmission admission = new HookAdmission(catalog, limits, renderer);

    @BeforeEach
    void catalogue() {
        when(catalog.resolve(TestImages.UUID)).thenReturn(ImageResolution.found(TestImages.image(TestImages.UUID)));
        when(catalog.resolve(TestImages.OTHER_UUID)).thenReturn(ImageResolution.notUsable("list expired on 2020-01-01"));
        when(renderer.render(any(), any(), anyInt())).thenReturn(List.of("#SBATCH --constraint=vmgrid"));
    }

    private static HookRequest request(String lrms, List<String> tags, String memory, String cpus, String network,
            String... bounds) {
        return new HookRequest(lrms, tags, Optional.ofNullable(memory), Optional.ofNullable(cpus),
                Optional.ofNullable(network), List.of(bounds));
    }

    @Test
    void jobWithoutVmRequestGetsNothingAndNoLookup() {
        HookAnswer a = admission.answer(request("slurm", List.of("VO-atlas-production"), null, null, null));
        assertEquals(List.of(), a.print());
        assertEquals("", a.refusal());
        verifyNoInteractions(catalog, renderer);
    }

    @Test
    void admittedRequestIsRenderedWithTheSiteOverhead() {
        HookAnswer a = admission.answer(request("slurm", List.of("VO-x", "VM-IMAGE-" + TestImages.UUID), "1024", "2", "none"));
        assertEquals(List.of("#SBATCH --constraint=vmgrid"), a.print());
        ArgumentCaptor<VmRequest> vm = ArgumentCaptor.forClass(VmRequest.class);
        verify(renderer).render(eq(Lrms.SLURM), vm.capture(), eq(256));
        assertEquals(1024, vm.getValue().memoryMiB());
        assertEquals(2, vm.getValue().cpus());
        assertEquals(TestImages.UUID, vm.getValue().image().uuid());
    }

    @Test
    void missingValuesTakeTheSiteDefaults() {
        admission.answer(request("pbs", List.of("VM-IMAGE-" + TestImages.UUID), null, null, null));
        ArgumentCaptor<VmRequest> vm = ArgumentCaptor.forClass(VmRequest.class);
        verify(renderer).render(eq(Lrms.PBS), vm.capture(), eq(256));
        assertEquals(2048, vm.getValue().memoryMiB());
        assertEquals(1, vm.getValue().cpus());
        assertEquals(NetworkMode.NONE, vm.getValue().network());
    }

    @Test
    void unusableImageIsRefusedWithTheCatalogueReason() {
        HookAnswer a = admission.answer(request("slurm", List.of("VM-IMAGE-" + TestImages.OTHER_UUID), "1024", "1", "none"));
        assertEquals(List.of("#SBATCH --vmgrid-refused=image-not-usable"), a.print());
        assertTrue(a.refusal().contains("list expired on 2020-01-01"), a.refusal());
    }

    @Test
    void everyBadRequestIsRefusedNeverPassedOn() {
        List<HookRequest> bad = new ArrayList<>(List.of(
                request("slurm", List.of(), "1024", null, null),
                request("slurm", List.of("VM-IMAGE-" + TestImages.UUID, "VM-IMAGE-" + TestImages.UUID), null, null, null),
                request("slurm", List.of("VM-IMAGE-sl6wn"), null, null, null),
                request("slurm", List.of("VM-IMAGE-" + TestImages.UUID.toUpperCase()), null, null, null),
                request("slurm", List.of("VM-IMAGE-" + TestImages.UUID), "2048$(reboot)", null, null),
                request("slurm", List.of("VM-IMAGE-" + TestImages.UUID), " 2048", null, null),
                request("slurm", List.of("VM-IMAGE-" + TestImages.UUID), null, "-1", null),
                request("slurm", List.of("VM-IMAGE-" + TestImages.UUID), null, null, "NONE"),
                request("slurm", List.of("VM-IMAGE-" + TestImages.UUID), null, null, "bridged"),
                request("slurm", List.of("VM-IMAGE-" + TestImages.UUID), null, null, null, "VmgridMemory_Min")));
        for (HookRequest r : bad) {
            HookAnswer a = admission.answer(r);
            assertEquals(List.of("#SBATCH --vmgrid-refused=bad-request"), a.print(), r.toString());
            assertTrue(a.refusal().startsWith("vmgrid refused this VM job (bad-request): "), a.refusal());
        }
        verifyNoInteractions(renderer);
    }

    @Test
    void beyondTheLimitsIsRefused() {
        for (HookRequest r : List.of(
                request("sge", List.of("VM-IMAGE-" + TestImages.UUID), "8192", null, null),
                request("sge", List.of("VM-IMAGE-" + TestImages.UUID), "64", null, null),
                request("sge", List.of("VM-IMAGE-" + TestImages.UUID), null, "5", null),
                request("sge", List.of("VM-IMAGE-" + TestImages.UUID), null, "0", null),
                request("sge", List.of("VM-IMAGE-" + TestImages.UUID), null, null, "outbound"))) {
            assertEquals(List.of("#$ --vmgrid-refused=over-limit"), admission.answer(r).print(), r.toString());
        }
    }

    @Test
    void encoderRefusalBecomesARefusal() {
        when(renderer.render(any(), any(), anyInt())).thenThrow(new VmgridException("unsafe value"));
        HookAnswer a = admission.answer(request("condor", List.of("VM-IMAGE-" + TestImages.UUID), null, null, null));
        assertEquals(List.of("hold = True", "+VmgridRefused = \"bad-request\""), a.print());
    }

    private HookAdmission withPolicy() {
        PolicySection policy = new PolicySection(Map.of("dteam", List.of("debian-test"), "atlas", List.of("*"),
                "lhcb", List.of()), true);
        return new HookAdmission(catalog, limits, new VoPolicy(policy, Map.of("debian-test", TestImages.UUID)), renderer);
    }

    private static HookRequest vmRequestOf(String vo, String fqans) {
        return new HookRequest("slurm", List.of("VM-IMAGE-" + TestImages.UUID), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.ofNullable(vo), Optional.ofNullable(fqans));
    }

    @Test
    void voPolicyAdmitsTheVosItNames() {
        HookAdmission admission = withPolicy();
        assertEquals(List.of("#SBATCH --constraint=vmgrid"), admission.answer(vmRequestOf("dteam", null)).print());
        assertEquals(List.of("#SBATCH --constraint=vmgrid"),
                admission.answer(vmRequestOf(null, "/atlas/Role=production")).print());
        assertEquals(List.of("#SBATCH --constraint=vmgrid"),
                admission.answer(vmRequestOf("dteam", "/dteam/Role=NULL/Capability=NULL")).print());
    }

    @Test
    void voPolicyRefusesOtherVosAndAnUnknownVo() {
        HookAdmission admission = withPolicy();
        HookAnswer cms = admission.answer(vmRequestOf("cms", "/cms/Role=NULL"));
        assertEquals(List.of("#SBATCH --vmgrid-refused=vo-not-allowed"), cms.print());
        assertTrue(cms.refusal().contains("VO cms may use no VM image at this site"), cms.refusal());
        HookAnswer lhcb = admission.answer(vmRequestOf("lhcb", null));
        assertTrue(lhcb.refusal().contains("VO lhcb may use no VM image"), lhcb.refusal());
        HookAnswer none = admission.answer(vmRequestOf(null, null));
        assertEquals(List.of("#SBATCH --vmgrid-refused=vo-not-allowed"), none.print());
        assertTrue(none.refusal().contains("VirtualOrganisation"), none.refusal());
        verifyNoInteractions(renderer);
    }

    @Test
    void voPolicyNamesTheImagesAVoMayUse() {
        when(catalog.resolve(TestImages.OTHER_UUID)).thenReturn(ImageResolution.found(TestImages.image(TestImages.OTHER_UUID)));
        HookAnswer a = withPolicy().answer(new HookRequest("slurm", List.of("VM-IMAGE-" + TestImages.OTHER_UUID),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.of("dteam"), Optional.empty()));
        assertEquals(List.of("#SBATCH --vmgrid-refused=vo-not-allowed"), a.print());
        assertTrue(a.refusal().contains("VO dteam may not use image " + TestImages.OTHER_UUID + " at this site; it may use: "
                + "debian-test"), a.refusal());
    }

    @Test
    void oddIdentityIsABadRequestEvenWithoutPolicy() {
        for (HookRequest r : List.of(vmRequestOf("dteam\n#SBATCH --uid=0", null), vmRequestOf(null, "/dteam/$(id)"),
                vmRequestOf("cms", "/dteam"))) {
            assertEquals(List.of("#SBATCH --vmgrid-refused=bad-request"), admission.answer(r).print(), r.toString());
        }
        verifyNoInteractions(renderer);
    }

    @Test
    void unknownBatchSystemIsAnError() {
        assertThrows(HookServiceException.class,
                () -> admission.answer(request("SLURM", List.of("VM-IMAGE-" + TestImages.UUID), null, null, null)));
        assertThrows(HookServiceException.class, () -> admission.answer(request("", List.of(), null, null, null)));
    }
}
