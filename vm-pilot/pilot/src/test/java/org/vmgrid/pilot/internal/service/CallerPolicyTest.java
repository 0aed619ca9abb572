package org.vmgrid.pilot.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.unixsocket.PeerCredentials;

/** As whom a caller's job runs and what it may share, from its peer credentials alone. */
class CallerPolicyTest {

    @TempDir
    Path tmp;

    private final CallerPolicy policy = new CallerPolicy();
    private static final PeerCredentials POOL = new PeerCredentials(4242, 10001, 10002, "pool001");

    @Test
    void theJobRunsAsTheCallersUserAndGroup() {
        assertEquals(new JobUser("pool001", 10001, 10002), policy.user(POOL));
    }

    @Test
    void rootGetsNoVm() {
        PilotException e = assertThrows(PilotException.class, () -> policy.user(new PeerCredentials(1, 0, 0, "root")));
        assertEquals(FailureKind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("a VM never runs as root"), e.getMessage());
    }

    @Test
    void theCallerMaySharePerItsRealPathOnlyADirectoryOfItsOwn() throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.setAttribute(mine, "unix:uid", 10001);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), mine);
        JobUser user = policy.user(POOL);
        assertEquals(mine.toRealPath(), policy.workdir(link, user), "shared by its real path");
        Path theirs = Files.createDirectories(tmp.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 10003);
        PilotException e = assertThrows(PilotException.class, () -> policy.workdir(theirs, user));
        assertTrue(e.getMessage().contains("not to pool001; a job may only share its own directory"), e.getMessage());
        Path toTheirs = Files.createSymbolicLink(tmp.resolve("to-theirs"), theirs);
        assertThrows(PilotException.class, () -> policy.workdir(toTheirs, user));
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Files.setAttribute(file, "unix:uid", 10001);
        e = assertThrows(PilotException.class, () -> policy.workdir(file, user));
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }

    @Test
    void aPathWithAControlCharacterIsRefusedAndEscapedInTheReason() throws Exception {
        Path odd = Files.createDirectories(tmp.resolve("a\nvmgrid pilot service: job forged"));
        Files.setAttribute(odd, "unix:uid", 10001);
        PilotException e = assertThrows(PilotException.class, () -> policy.workdir(odd, policy.user(POOL)));
        assertTrue(e.getMessage().contains("a\\nvmgrid pilot service: job forged has control characters"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    }
}
