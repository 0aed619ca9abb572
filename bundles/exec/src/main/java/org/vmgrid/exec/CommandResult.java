package org.vmgrid.exec;

import java.nio.charset.StandardCharsets;

/** What a finished command gave back. */
public record CommandResult(Command command, int exitCode, byte[] stdout, byte[] stderr) {

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /** This result, or a {@link CommandFailedException} when the exit code is not 0. */
    public CommandResult requireSuccess() {
        if (exitCode != 0) {
            throw CommandFailedException.exited(this);
        }
        return this;
    }
}
