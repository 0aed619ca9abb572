package org.vmgrid.exec;

/** Runs external commands. Our small interface over the OS: unit tests mock it. */
public interface CommandRunner {

    /**
     * Runs a command to its end and returns what it gave back, whatever its exit code.
     *
     * @throws CommandFailedException when it cannot start, or runs past its timeout (it is then
     *     killed, with its children)
     */
    CommandResult run(Command command);

    /** Runs a command and fails with its stderr unless it exits 0. */
    default CommandResult runChecked(Command command) {
        return run(command).requireSuccess();
    }
}
