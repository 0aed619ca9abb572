package org.vmgrid.decision;

import org.vmgrid.api.VmgridException;

/** A VO name or VOMS FQAN that cannot be read; the message says which and what it should look like. */
public final class IdentityException extends VmgridException {

    private static final long serialVersionUID = 1L;

    public IdentityException(String message) {
        super(message);
    }
}
