package org.vmgrid.blahservice;

import org.vmgrid.api.VmgridException;

/** A hook request could not be read, or the hook service could not start or answer. */
public class HookServiceException extends VmgridException {

    private static final long serialVersionUID = 1L;

    public HookServiceException(String message) {
        super(message);
    }

    public HookServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
