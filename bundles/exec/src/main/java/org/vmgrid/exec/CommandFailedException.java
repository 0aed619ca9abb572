package org.vmgrid.exec;

import org.vmgrid.api.VmgridException;

/** An external command that could not start, timed out, or exited non-zero; its stderr is quoted. */
public class CommandFailedException extends VmgridException {

    private static final long serialVersionUID = 1L;

    public CommandFailedException(String message) {
        super(message);
    }

    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    static CommandFailedException exited(CommandResult r) {
        String err = r.stderrText().strip();
        if (err.length() > 2000) {
            err = err.substring(err.length() - 2000);
        }
        return new CommandFailedException("'" + r.command().display() + "' exited with " + r.exitCode()
                + (err.isEmpty() ? " and printed nothing on stderr" : ": " + err));
    }
}
