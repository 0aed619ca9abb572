package org.vmgrid.pilot.internal.cloudinit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;

class SeedUserDataTest {

    @Test
    void theSitesAgentComesFirstThenTheUsersDataAsItIs() {
        String user = "#cloud-config\nwrite_files:\n - path: /etc/motd\n   content: hi\n";
        List<MimePart> parts = new SeedUserData().parts("j1", user);
        assertEquals(2, parts.size());
        assertEquals("text/x-shellscript", parts.get(0).contentType());
        assertArrayEquals(SeedUserData.agentScript(), parts.get(0).content());
        assertEquals("text/plain", parts.get(1).contentType(), "cloud-init tells its kind from its first line");
        assertArrayEquals(user.getBytes(StandardCharsets.UTF_8), parts.get(1).content());
    }

    @Test
    void withoutUserDataOnlyTheAgent() {
        assertEquals(1, new SeedUserData().parts("j1", "").size());
    }

    @Test
    void userDataThatIsItselfAMimeMessageIsRefusedSayingWhy() {
        PilotException e = assertThrows(PilotException.class, () -> new SeedUserData().parts("j1",
                "Content-Type: multipart/mixed; boundary=x\n\n--x\n"));
        assertEquals(FailureKind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("MIME message"), e.getMessage());
    }

    @Test
    void shellcheckFindsNothingInTheAgentAsPosixSh(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("guest-agent.sh"), SeedUserData.agentScript());
        CommandResult r = new ProcessCommandRunner().run(Command.of(Duration.ofMinutes(1), "shellcheck", "-s", "sh",
                "-S", "warning", f.toString()));
        assertEquals(0, r.exitCode(), r.stdoutText() + r.stderrText());
    }

    @Test
    void theAgentIsAPosixShellScriptThatNeverSourcesOrEvals() {
        String text = new String(SeedUserData.agentScript(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("#!/bin/sh\n"));
        for (String line : text.split("\n")) {
            String code = line.strip();
            assertTrue(!code.startsWith(". ") && !code.startsWith("source ") && !code.contains("eval "), line);
        }
    }
}
