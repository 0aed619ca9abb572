package org.vmgrid.blahservice;

import java.util.List;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.VmRequest;

/**
 * Renders an allowed VM request as batch directive lines, every value proven safe (the admission
 * bundle's {@code DirectiveEncoder} behind it).
 */
public interface DirectiveRenderer {

    /** The directive lines for one VM on the given batch system, reserving {@code overheadMiB} beyond the guest. */
    List<String> render(Lrms lrms, VmRequest vm, int overheadMiB);
}
