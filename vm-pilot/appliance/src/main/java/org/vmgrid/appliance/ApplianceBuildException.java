package org.vmgrid.appliance;

import org.vmgrid.api.VmgridException;

/** The test appliance could not be built: says which step failed, on what, and what to do. */
public class ApplianceBuildException extends VmgridException {

    private static final long serialVersionUID = 1L;

    public ApplianceBuildException(String message) {
        super(message);
    }

    public ApplianceBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
