package org.vmgrid.blahservice;

import java.util.List;
import org.vmgrid.admission.DirectiveEncoder;
import org.vmgrid.admission.DirectiveEncoder.BatchScript;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.VmRequest;

/**
 * Renders an allowed VM request as batch directive lines, every value proven safe (the admission
 * bundle's {@code DirectiveEncoder} behind it).
 */
public interface DirectiveRenderer {

    /** The directive lines for one VM on the given batch system, reserving {@code overheadMiB} beyond the guest. */
    List<String> render(Lrms lrms, VmRequest vm, int overheadMiB);

    /**
     * The encoder's directives for jobs BLAH submits for CREAM: their batch script runs CREAM's job
     * wrapper, which stays on the worker node's host and runs only the user's command in the VM
     * ({@link BatchScript#CREAM_JOB_WRAPPER}).
     */
    static DirectiveRenderer creamJobWrapper() {
        DirectiveEncoder encoder = new DirectiveEncoder();
        return (lrms, vm, overheadMiB) -> encoder.render(lrms, vm, overheadMiB, BatchScript.CREAM_JOB_WRAPPER);
    }
}
