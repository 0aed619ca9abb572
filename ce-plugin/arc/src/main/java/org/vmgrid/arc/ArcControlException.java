package org.vmgrid.arc;

import org.vmgrid.api.VmgridException;

/** The ARC CE's configuration or control tool cannot give vmgrid what it needs; the message says what to fix. */
public final class ArcControlException extends VmgridException {

    private static final long serialVersionUID = 1L;

    public ArcControlException(String message) {
        super(message);
    }

    public ArcControlException(String message, Throwable cause) {
        super(message, cause);
    }
}
