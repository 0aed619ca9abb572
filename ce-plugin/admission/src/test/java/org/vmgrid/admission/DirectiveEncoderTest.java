package org.vmgrid.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;

class DirectiveEncoderTest {

    private final DirectiveEncoder encoder = new DirectiveEncoder();
    private final VmRequest vm = new VmRequest(TestCatalog.image(TestCatalog.UUID, TestCatalog.EXPIRES), 2048, 2,
            NetworkMode.OUTBOUND, "");

    @Test
    void slurmLinesHaveExactlyTheAgreedShape() {
        assertEquals(List.of(
                "#SBATCH --constraint=vmgrid",
                "#SBATCH --mem=2304M",
                "#SBATCH --cpus-per-task=2",
                "#SBATCH --gres=vmslot:1",
                "#SBATCH --comment=vmgrid:image=3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47,mem=2048,cpus=2,net=outbound"),
                encoder.render(Lrms.SLURM, vm, 256));
    }

    @Test
    void pbsSgeLsfAndCondorCarryTheSameInformation() {
        assertEquals(List.of("#PBS -l nodes=1:ppn=2:vmgrid", "#PBS -l mem=2304mb", "#PBS -l gres=vmslot",
                "#PBS -v VMGRID_IMAGE=3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47,VMGRID_MEMORY=2048,VMGRID_CPUS=2,VMGRID_NETWORK=outbound"),
                encoder.render(Lrms.PBS, vm, 256));
        assertEquals(List.of("#$ -l vmgrid=true", "#$ -l mem_free=2304M", "#$ -pe smp 2", "#$ -l vmslot=1",
                "#$ -v VMGRID_IMAGE=3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47,VMGRID_MEMORY=2048,VMGRID_CPUS=2,VMGRID_NETWORK=outbound"),
                encoder.render(Lrms.SGE, vm, 256));
        assertEquals(List.of("#BSUB -n 2", "#BSUB -R \"select[vmgrid] rusage[mem=2304,vmslot=1] span[hosts=1]\"",
                "#BSUB -M 2304MB",
                "#BSUB -env \"all,VMGRID_IMAGE=3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47,VMGRID_MEMORY=2048,VMGRID_CPUS=2,VMGRID_NETWORK=outbound\""),
                encoder.render(Lrms.LSF, vm, 256));
        assertEquals(List.of("request_memory = 2304", "request_cpus = 2", "request_vmslot = 1",
                "requirements = (TARGET.VmgridCapable =?= True)",
                "+VmgridImage = \"3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47\"", "+VmgridMemory = 2048", "+VmgridCPUs = 2",
                "+VmgridNetwork = \"outbound\""), encoder.render(Lrms.CONDOR, vm, 256));
    }

    /**
     * A CREAM job wrapper's batch script says so in the job's environment (HTCondor: an attribute),
     * beside the same request; SLURM's comment is the same as for a payload script.
     */
    @Test
    void aCreamJobWrappersScriptIsMarkedInItsEnvironment() {
        DirectiveEncoder.BatchScript cream = DirectiveEncoder.BatchScript.CREAM_JOB_WRAPPER;
        List<String> slurm = encoder.render(Lrms.SLURM, vm, 256, cream);
        assertEquals(encoder.render(Lrms.SLURM, vm, 256), slurm.subList(0, 5));
        assertEquals(List.of("#SBATCH --export=ALL,VMGRID_JOB_WRAPPER=cream"), slurm.subList(5, slurm.size()));
        String env = "VMGRID_IMAGE=3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47,VMGRID_MEMORY=2048,VMGRID_CPUS=2,VMGRID_NETWORK=outbound"
                + ",VMGRID_JOB_WRAPPER=cream";
        assertEquals("#PBS -v " + env, encoder.render(Lrms.PBS, vm, 256, cream).get(3));
        assertEquals("#$ -v " + env, encoder.render(Lrms.SGE, vm, 256, cream).get(4));
        assertEquals("#BSUB -env \"all," + env + "\"", encoder.render(Lrms.LSF, vm, 256, cream).get(3));
        List<String> condor = encoder.render(Lrms.CONDOR, vm, 256, cream);
        assertEquals(encoder.render(Lrms.CONDOR, vm, 256), condor.subList(0, 8));
        assertEquals(List.of("+VmgridJobWrapper = \"cream\""), condor.subList(8, condor.size()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47\n#SBATCH --uid=0", "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47 --uid=0",
        "3F8B5C2E-9A41-4D7E-8C3B-1F2A6D9E0B47", "$(reboot)", "`id`", "a;b", "\"", "'", "\u0000", "é", "",
        "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47\r", "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b4\u0661"})
    void aHostileImageValueThrowsAndNothingIsRendered(String uuid) {
        for (Lrms lrms : Lrms.values()) {
            UnsafeDirectiveException e = assertThrows(UnsafeDirectiveException.class,
                    () -> encoder.render(lrms, uuid, 1024, 1, "none", 256));
            assertTrue(e.getMessage().contains("image UUID"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "the message stays one line: " + e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"None", "outbound;", "bridged", "none\n", "", "none outbound"})
    void onlyTheTwoNetworkKeywordsAreRendered(String network) {
        assertThrows(UnsafeDirectiveException.class, () -> encoder.render(Lrms.SLURM, TestCatalog.UUID, 1024, 1, network, 0));
    }

    @Test
    void numbersMustBePositiveAndTheSumMustNotOverflow() {
        assertThrows(UnsafeDirectiveException.class, () -> encoder.render(Lrms.SLURM, TestCatalog.UUID, 0, 1, "none", 0));
        assertThrows(UnsafeDirectiveException.class, () -> encoder.render(Lrms.SLURM, TestCatalog.UUID, -5, 1, "none", 0));
        assertThrows(UnsafeDirectiveException.class, () -> encoder.render(Lrms.SLURM, TestCatalog.UUID, 1024, -1, "none", 0));
        assertThrows(UnsafeDirectiveException.class, () -> encoder.render(Lrms.SLURM, TestCatalog.UUID, 1024, 1, "none", -1));
        assertThrows(UnsafeDirectiveException.class,
                () -> encoder.render(Lrms.SLURM, TestCatalog.UUID, Integer.MAX_VALUE, 1, "none", Integer.MAX_VALUE));
    }
}
