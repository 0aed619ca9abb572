package org.vmgrid.api;

/**
 * Base of every module's exception family. Its message says what failed, on what, and what to do.
 */
public class VmgridException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public VmgridException(String message) {
        super(message);
    }

    public VmgridException(String message, Throwable cause) {
        super(message, cause);
    }
}
