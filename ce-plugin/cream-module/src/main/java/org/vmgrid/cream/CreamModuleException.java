package org.vmgrid.cream;

import org.vmgrid.api.VmgridException;

/** The CREAM module could not check or rewrite a job description, or could not start. */
public class CreamModuleException extends VmgridException {

    private static final long serialVersionUID = 1L;

    public CreamModuleException(String message) {
        super(message);
    }

    public CreamModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
