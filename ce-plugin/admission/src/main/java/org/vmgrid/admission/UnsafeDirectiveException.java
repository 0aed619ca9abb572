package org.vmgrid.admission;

import org.vmgrid.api.VmgridException;

/** A value that cannot be proven safe for a batch directive; nothing was emitted. */
public final class UnsafeDirectiveException extends VmgridException {

    private static final long serialVersionUID = 1L;

    public UnsafeDirectiveException(String message) {
        super(message);
    }
}
