package org.vmgrid.glue;

import org.vmgrid.api.VmgridException;

/** A value cannot be published safely in LDIF or GLUE XML; nothing was written. */
public class GlueEncodingException extends VmgridException {

    private static final long serialVersionUID = 1L;

    public GlueEncodingException(String message) {
        super(message);
    }

    public GlueEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
