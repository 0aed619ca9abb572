package org.vmgrid.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.Admission;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.Verdict;
import org.vmgrid.decision.Asker;
import org.vmgrid.api.VmRequest;

/** The ARC door against the site's real decision (the example site: at most 4096 MiB, 2 CPUs, outbound network). */
class ArcAdmissionTest {

    static final Asker DTEAM = Asker.grid(Optional.empty(), List.of("/dteam"));
    private final ArcAdmission admission = ArcTestSite.admission();

    static ArcJob job(String... rteThenOptions) {
        return new ArcJob("xRSL", List.of(new RuntimeEnvironmentRequest("VMGRID/IMAGE/debian-test", List.of()),
                new RuntimeEnvironmentRequest("ENV/VMGRID", List.of(rteThenOptions))), OptionalLong.empty(),
                OptionalLong.empty());
    }

    @Test
    void aPlainJobIsAPlainJob() {
        assertEquals(Admission.plainJob(), admission.admit(new ArcJob("ADL", List.of(), OptionalLong.of(1 << 20),
                OptionalLong.of(64)), DTEAM));
    }

    @Test
    void anAdmittedRequestCarriesTheResolvedVmWithTheSiteDefaults() {
        Admission a = admission.admit(job("cpus=2", "network=outbound"), DTEAM);
        assertEquals(Verdict.ACCEPTED, a.verdict(), a.reason());
        VmRequest vm = a.vm().orElseThrow();
        assertEquals(ArcTestSite.UUID, vm.image().uuid());
        assertEquals(1024, vm.memoryMiB());
        assertEquals(2, vm.cpus());
        assertEquals(NetworkMode.OUTBOUND, vm.network());
    }

    @Test
    void refusalsNameArcsSpellingAndWhatToAskFor() {
        assertReason(Verdict.REFUSED, "ENV/VMGRID memory = 65536 MiB is outside what this site allows (96 to 4096 MiB); ask for at "
                + "most 4096", admission.admit(job("memory=65536"), DTEAM));
        assertReason(Verdict.REFUSED, "ENV/VMGRID cpus = 3 is outside what this site allows (1 to 2); ask for at most 2",
                admission.admit(job("cpus=3"), DTEAM));
        ArcJob windows = new ArcJob("xRSL", List.of(new RuntimeEnvironmentRequest("VMGRID/IMAGE/windows-xp", List.of())),
                OptionalLong.empty(), OptionalLong.empty());
        assertReason(Verdict.REFUSED, "runtime environment VMGRID/IMAGE/windows-xp names image windows-xp, which this site "
                + "cannot run: unknown image windows-xp", admission.admit(windows, DTEAM));
        assertReason(Verdict.MALFORMED, "option memory must be a whole number", admission.admit(job("memory=lots"), DTEAM));
    }

    @Test
    void aSiteThatHasNotDeclaredItsSlurmWorkerNodesReadyTakesNoArcVmJob() {
        ArcAdmission sgeOnly = new ArcAdmission(new org.vmgrid.decision.SiteDecision(ArcTestSite.catalog(),
                new org.vmgrid.decision.VoImagePolicy(org.vmgrid.config.PolicySection.open(), java.util.Map.of()),
                new org.vmgrid.decision.VmLimits(org.vmgrid.config.LimitsSection.builtIn()),
                java.util.Set.of(org.vmgrid.api.Lrms.SGE), ArcTestSite.NOW));
        assertReason(Verdict.REFUSED, "this site's slurm worker nodes are not declared ready for VM jobs (vm.batch.systems of "
                + "site.properties: sge)", sgeOnly.admit(job(), DTEAM));
        assertEquals(Admission.plainJob(), sgeOnly.admit(new ArcJob("ADL", List.of(), OptionalLong.empty(),
                OptionalLong.empty()), DTEAM), "a plain job is never judged");
    }

    @Test
    void withoutAVoTheReasonSaysHowAnArcUserGetsOne() {
        Admission a = admission.admit(job(), Asker.grid(Optional.empty(), List.of()));
        assertReason(Verdict.REFUSED, "submit with a VOMS proxy of your VO (arcproxy -S <your VO>)", a);
        org.junit.jupiter.api.Assertions.assertFalse(a.reason().contains("JDL"), a.reason());
    }

    @Test
    void theVoPolicyOfTheSiteApplies() {
        Asker cms = Asker.grid(Optional.empty(), List.of("/cms"));
        Admission a = admission.admit(job(), cms);
        assertEquals(Verdict.REFUSED, a.verdict(), a.reason());
        assertEquals(Verdict.ACCEPTED, admission.admit(job(), Asker.grid(Optional.empty(),
                List.of("/atlas"))).verdict());
    }

    private static void assertReason(Verdict v, String reason, Admission a) {
        assertEquals(v, a.verdict(), a.reason());
        org.junit.jupiter.api.Assertions.assertTrue(a.reason().contains(reason), a.reason());
    }
}
