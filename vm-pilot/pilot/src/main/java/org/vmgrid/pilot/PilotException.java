package org.vmgrid.pilot;

import java.util.Objects;
import org.vmgrid.api.VmgridException;

/** A job the pilot could not run to its end; {@link #kind()} says whose fault it is. */
public class PilotException extends VmgridException {

    private static final long serialVersionUID = 1L;

    private final FailureKind kind;

    public PilotException(FailureKind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public PilotException(FailureKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public FailureKind kind() {
        return kind;
    }
}
