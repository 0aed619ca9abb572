package org.vmgrid.arc;

import org.vmgrid.api.VmgridException;

/** The ARC CE's configuration or control tool cannot give vmgrid what it needs; the message says what to fix. */
public final class ArcControlException extends VmgridException {

    private static final long serialVersionUID = 1L;

    private final boolean toolFailed;

    /** arc.conf or the runtime directory is not as vmgrid needs it. */
    public ArcControlException(String message) {
        this(message, null, false);
    }

    public ArcControlException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private ArcControlException(String message, Throwable cause, boolean toolFailed) {
        super(message, cause);
        this.toolFailed = toolFailed;
    }

    /** ARC's control tool failed (it may work when tried again). */
    public static ArcControlException toolFailed(String message) {
        return new ArcControlException(message, null, true);
    }

    public boolean isToolFailure() {
        return toolFailed;
    }
}
