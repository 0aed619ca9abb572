package org.vmgrid.info;

import org.vmgrid.api.VmgridException;

/** The site information could not be gathered, rendered or found; nothing was published. */
public class InfoException extends VmgridException {

    private static final long serialVersionUID = 1L;

    public InfoException(String message) {
        super(message);
    }

    public InfoException(String message, Throwable cause) {
        super(message, cause);
    }
}
