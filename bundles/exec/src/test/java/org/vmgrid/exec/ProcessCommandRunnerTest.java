package org.vmgrid.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCommandRunnerTest {

    private final CommandRunner runner = new ProcessCommandRunner();
    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void argumentsAreNeverInterpretedByAShell() {
        CommandResult r = runner.runChecked(Command.of(T, "printf", "%s|", "a b", "$(echo no)", "`x`;y"));
        assertEquals("a b|$(echo no)|`x`;y|", r.stdoutText());
    }

    @Test
    void localeIsC() {
        assertEquals("C\n", runner.runChecked(Command.of(T, "sh", "-c", "echo $LC_ALL")).stdoutText());
    }

    @Test
    void stdinIsFedAndLargeOutputOnBothStreamsDoesNotDeadlock() {
        byte[] input = "x".repeat(300_000).getBytes(StandardCharsets.US_ASCII);
        CommandResult r = runner.runChecked(Command.of(T, List.of("sh", "-c", "cat; head -c 300000 </dev/zero >&2"))
                .withStdin(input));
        assertEquals(300_000, r.stdout().length);
        assertEquals(300_000, r.stderr().length);
    }

    @Test
    void aChildLeftHoldingTheOutputOpenDoesNotHangTheCaller() {
        long start = System.nanoTime();
        CommandResult r = runner.runChecked(Command.of(T, "sh", "-c", "echo started; sleep 300 &"));
        assertEquals("started\n", r.stdoutText());
        assertTrue(System.nanoTime() - start < 15_000_000_000L);
    }

    @Test
    void nonZeroExitQuotesStderr() {
        CommandFailedException e = assertThrows(CommandFailedException.class,
                () -> runner.runChecked(Command.of(T, "sh", "-c", "echo broken disk >&2; exit 3")));
        assertEquals("'sh -c 'echo broken disk >&2; exit 3'' exited with 3: broken disk", e.getMessage());
    }

    @Test
    void timeoutKillsTheCommand() {
        long start = System.nanoTime();
        CommandFailedException e = assertThrows(CommandFailedException.class,
                () -> runner.run(Command.of(Duration.ofMillis(300), "sleep", "30")));
        assertTrue(e.getMessage().contains("did not finish within"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void missingProgramSaysSo() {
        CommandFailedException e = assertThrows(CommandFailedException.class,
                () -> runner.run(Command.of(T, "/nonexistent/qemu-img", "info")));
        assertTrue(e.getMessage().contains("check that /nonexistent/qemu-img is installed"), e.getMessage());
    }
}
