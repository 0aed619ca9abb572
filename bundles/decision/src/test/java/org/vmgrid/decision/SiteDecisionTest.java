package org.vmgrid.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.config.LimitsSection;
import org.vmgrid.config.PolicySection;

class SiteDecisionTest {

    static final LimitsSection LIMITS = new LimitsSection(2048, 4096, 1, 4, NetworkMode.NONE, 100, 256);
    static final PolicySection POLICY = new PolicySection(Map.of("dteam", List.of("debian-test"), "atlas", List.of("*"),
            "cms", List.of()), true);
    static final Clock CLOCK = Clock.fixed(Images.NOW, ZoneOffset.UTC);

    private final SiteDecision open = new SiteDecision(new Images(), new VoImagePolicy(PolicySection.open(), Map.of()),
            new VmLimits(LIMITS), CLOCK);
    private final SiteDecision policed = new SiteDecision(new Images(),
            new VoImagePolicy(POLICY, Map.of("debian-test", Images.UUID)), new VmLimits(LIMITS), CLOCK);
    private static final Asker DTEAM = Asker.grid(Optional.of("dteam"), List.of());

    static VmAsk ask(String image, long memory, long cpus, NetworkMode net) {
        return new VmAsk(image, OptionalLong.of(memory), OptionalLong.of(cpus), Optional.of(net), Optional.empty(),
                VmAsk.Names.JDL);
    }

    static VmRequest allowed(Decision d) {
        return assertInstanceOf(Decision.Allowed.class, d, () -> d.toString()).vm();
    }

    static void refused(Decision.Refusal why, String reasonPart, Decision d) {
        Decision.Refused r = assertInstanceOf(Decision.Refused.class, d, () -> d.toString());
        assertEquals(why, r.why(), r.reason());
        assertTrue(r.reason().contains(reasonPart), "reason '" + r.reason() + "' lacks '" + reasonPart + "'");
    }

    @Test
    void absentValuesTakeTheSiteDefaultsAndAliasesAndUpperCaseUuidsResolve() {
        VmRequest vm = allowed(open.decide(VmAsk.image("debian-test", VmAsk.Names.JDL), Asker.unknown()));
        assertEquals(Images.UUID, vm.image().uuid());
        assertEquals(2048, vm.memoryMiB());
        assertEquals(1, vm.cpus());
        assertEquals(NetworkMode.NONE, vm.network());
        assertEquals(Images.UUID, allowed(open.decide(VmAsk.image(Images.UUID.toUpperCase(), VmAsk.Names.JDL),
                Asker.unknown())).image().uuid());
    }

    @Test
    void aBatchSystemWhoseWorkerNodesAreNotDeclaredReadyTakesNoVmJob() {
        SiteDecision sgeOnly = new SiteDecision(new Images(), new VoImagePolicy(PolicySection.open(), Map.of()),
                new VmLimits(LIMITS), java.util.Set.of(org.vmgrid.api.Lrms.SGE), CLOCK);
        assertEquals(Optional.empty(), sgeOnly.batchSystem(org.vmgrid.api.Lrms.SGE));
        Decision.Refused r = sgeOnly.batchSystem(org.vmgrid.api.Lrms.PBS).orElseThrow();
        assertEquals(Decision.Refusal.BATCH_SYSTEM_NOT_READY, r.why());
        assertEquals("batch-system-not-ready", r.why().keyword());
        assertTrue(r.reason().startsWith("this site's pbs worker nodes are not declared ready for VM jobs (vm.batch.systems "
                + "of site.properties: sge), so a VM job there would run on the host"), r.reason());
        assertTrue(open.batchSystem(org.vmgrid.api.Lrms.SLURM).isEmpty(), "SLURM is ready unless the site says otherwise");
        assertTrue(open.batchSystem(org.vmgrid.api.Lrms.CONDOR).isPresent());
        assertTrue(new SiteDecision(new Images(), new VoImagePolicy(PolicySection.open(), Map.of()), new VmLimits(LIMITS),
                java.util.Set.of(), CLOCK).batchSystem(org.vmgrid.api.Lrms.SLURM).orElseThrow().reason()
                .contains("(vm.batch.systems of site.properties: none)"));
    }

    @Test
    void anUnknownOrExpiredImageIsNotUsable() {
        refused(Decision.Refusal.IMAGE_NOT_USABLE, "VirtualMachine.Image names image 00000000-0000-4000-8000-000000000000, "
                + "which this site cannot run: unknown image",
                open.decide(VmAsk.image("00000000-0000-4000-8000-000000000000", VmAsk.Names.JDL), Asker.unknown()));
        refused(Decision.Refusal.IMAGE_NOT_USABLE, "expired on 2026-01-01T00:00:00Z",
                open.decide(VmAsk.image(Images.EXPIRED, VmAsk.Names.JDL), Asker.unknown()));
    }

    @Test
    void limitsAreCheckedInTheAskingDoorsWords() {
        refused(Decision.Refusal.OVER_LIMIT, "VirtualMachine.Memory = 8192 MiB is outside what this site allows (96 to 4096 "
                + "MiB); ask for at most 4096", open.decide(ask(Images.UUID, 8192, 1, NetworkMode.NONE), Asker.unknown()));
        refused(Decision.Refusal.OVER_LIMIT, "ask for at least 96",
                open.decide(ask(Images.UUID, 10, 1, NetworkMode.NONE), Asker.unknown()));
        refused(Decision.Refusal.OVER_LIMIT, "VmgridCPUs = 5 is outside what this site allows (1 to 4)",
                open.decide(new VmAsk(Images.UUID, OptionalLong.empty(), OptionalLong.of(5), Optional.empty(),
                        Optional.empty(), VmAsk.Names.BLAH), Asker.unknown()));
        refused(Decision.Refusal.OVER_LIMIT, "--network = \"outbound\" is not offered by this site",
                open.decide(new VmAsk(Images.UUID, OptionalLong.empty(), OptionalLong.empty(),
                        Optional.of(NetworkMode.OUTBOUND), Optional.empty(), VmAsk.Names.PILOT), Asker.unknown()));
        refused(Decision.Refusal.OVER_LIMIT, "VirtualMachine.UserData is 101 bytes; this site accepts at most 100",
                open.decide(new VmAsk(Images.UUID, OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
                        Optional.of("x".repeat(101)), VmAsk.Names.JDL), Asker.unknown()));
        VmRequest max = allowed(open.decide(ask(Images.UUID, 4096, 4, NetworkMode.NONE), Asker.unknown()));
        assertEquals(4096, max.memoryMiB());
        assertEquals(4, max.cpus());
    }

    @Test
    void theVoPolicyNamesImagesByAliasUuidOrStar() {
        assertEquals(Images.UUID, allowed(policed.decide(VmAsk.image(Images.UUID, VmAsk.Names.JDL), DTEAM)).image().uuid());
        refused(Decision.Refusal.VO_NOT_ALLOWED, "VO dteam may not use image " + Images.OTHER + " at this site; it may use: "
                + "debian-test", policed.decide(VmAsk.image(Images.OTHER, VmAsk.Names.JDL), DTEAM));
        allowed(policed.decide(VmAsk.image(Images.OTHER, VmAsk.Names.JDL), Asker.grid(Optional.of("atlas"), List.of())));
        refused(Decision.Refusal.VO_NOT_ALLOWED, "VO cms may use no VM image at this site",
                policed.decide(VmAsk.image(Images.UUID, VmAsk.Names.JDL), Asker.grid(Optional.of("cms"), List.of())));
        refused(Decision.Refusal.VO_NOT_ALLOWED, "VO lhcb may use no VM image",
                policed.decide(VmAsk.image(Images.UUID, VmAsk.Names.JDL), Asker.grid(Optional.empty(),
                        List.of("/lhcb/Role=NULL/Capability=NULL"))));
        refused(Decision.Refusal.VO_NOT_ALLOWED, "the job's VO is not known",
                policed.decide(VmAsk.image(Images.UUID, VmAsk.Names.JDL), Asker.unknown()));
        allowed(policed.decide(VmAsk.image(Images.OTHER, VmAsk.Names.PILOT), Asker.localAccount("alice")));
    }

    @Test
    void theImageIsCheckedBeforeThePolicyAndThePolicyBeforeTheLimits() {
        refused(Decision.Refusal.IMAGE_NOT_USABLE, "cannot run",
                policed.decide(ask("00000000-0000-4000-8000-000000000000", 99999, 99, NetworkMode.OUTBOUND), Asker.unknown()));
        refused(Decision.Refusal.VO_NOT_ALLOWED, "not known",
                policed.decide(ask(Images.UUID, 99999, 99, NetworkMode.OUTBOUND), Asker.unknown()));
    }

    @Test
    void offeredImagesAreTheUsableUnexpiredOnesSomeVoMayUse() {
        List<OfferedImage> all = open.offeredImages();
        assertEquals(List.of(Images.OTHER, Images.UUID), all.stream().map(o -> o.image().uuid()).toList());
        assertEquals(List.of("debian-test"), all.get(1).aliases());
        assertEquals(List.of(), all.get(1).vos());
        List<OfferedImage> policedImages = policed.offeredImages();
        assertEquals(List.of("atlas"), policedImages.get(0).vos());
        assertEquals(List.of("atlas", "dteam"), policedImages.get(1).vos());
        SiteDecision dteamOnly = new SiteDecision(new Images(), new VoImagePolicy(new PolicySection(
                Map.of("dteam", List.of("debian-test")), true), Map.of("debian-test", Images.UUID)), new VmLimits(LIMITS), CLOCK);
        assertEquals(List.of(Images.UUID), dteamOnly.offeredImages().stream().map(o -> o.image().uuid()).toList());
    }
}
