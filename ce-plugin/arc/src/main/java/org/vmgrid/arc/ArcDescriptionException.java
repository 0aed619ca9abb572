package org.vmgrid.arc;

import org.vmgrid.api.VmgridException;

/** A job description vmgrid cannot read; the message says where (line:column) and what to change. */
public final class ArcDescriptionException extends VmgridException {

    private static final long serialVersionUID = 1L;

    public ArcDescriptionException(String message) {
        super(message);
    }

    public ArcDescriptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
