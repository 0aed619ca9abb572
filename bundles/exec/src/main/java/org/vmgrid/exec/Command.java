package org.vmgrid.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One external command to run.
 *
 * @param argv the program and its arguments; never interpreted by a shell
 * @param workingDirectory where it runs, or empty for the caller's
 * @param environment variables added to (or replacing) the inherited ones; {@code LC_ALL=C} is
 *     always set unless given here
 * @param stdin bytes written to its standard input, then closed
 * @param timeout how long it may run before it is killed
 */
public record Command(List<String> argv, Optional<Path> workingDirectory, Map<String, String> environment, byte[] stdin,
        Duration timeout) {

    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Map.copyOf(environment);
        stdin = stdin == null ? new byte[0] : stdin.clone();
        Objects.requireNonNull(timeout, "timeout");
    }

    /** A command with no extra environment or input, run in the caller's directory. */
    public static Command of(Duration timeout, String... argv) {
        return new Command(List.of(argv), Optional.empty(), Map.of(), new byte[0], timeout);
    }

    public static Command of(Duration timeout, List<String> argv) {
        return new Command(argv, Optional.empty(), Map.of(), new byte[0], timeout);
    }

    public Command in(Path dir) {
        return new Command(argv, Optional.of(dir), environment, stdin, timeout);
    }

    public Command withEnv(Map<String, String> env) {
        return new Command(argv, workingDirectory, env, stdin, timeout);
    }

    public Command withStdin(byte[] input) {
        return new Command(argv, workingDirectory, environment, input, timeout);
    }

    /** The command as a reader would type it, for messages only (never executed). */
    public String display() {
        StringBuilder b = new StringBuilder();
        for (String a : argv) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(a.matches("[A-Za-z0-9_@%+=:,./-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }
}
