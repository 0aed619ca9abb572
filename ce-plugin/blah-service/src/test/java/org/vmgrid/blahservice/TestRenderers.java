package org.vmgrid.blahservice;

import java.util.List;
import org.vmgrid.api.Lrms;

/** The directive renderer the integration tests use. */
final class TestRenderers {

    private TestRenderers() {
    }

    /** Interim: the SLURM lines of the contract, until the admission bundle's DirectiveEncoder is merged. */
    static DirectiveRenderer directiveEncoder() {
        return (lrms, vm, overhead) -> {
            if (lrms != Lrms.SLURM) {
                throw new UnsupportedOperationException(lrms.keyword());
            }
            return List.of("#SBATCH --constraint=vmgrid", "#SBATCH --mem=" + (vm.memoryMiB() + overhead) + "M",
                    "#SBATCH --cpus-per-task=" + vm.cpus(), "#SBATCH --gres=vmslot:1",
                    "#SBATCH --comment=vmgrid:image=" + vm.image().uuid() + ",mem=" + vm.memoryMiB() + ",cpus="
                            + vm.cpus() + ",net=" + vm.network().keyword());
        };
    }
}
