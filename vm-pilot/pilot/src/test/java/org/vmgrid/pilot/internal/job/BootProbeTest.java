package org.vmgrid.pilot.internal.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandFailedException;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.CommandRunner;

class BootProbeTest {

    /** A runner that plays QEMU: writes the BIOS log it is given, then exits with {@code code}. */
    private static CommandRunner qemu(String biosLog, int code) {
        CommandRunner r = mock(CommandRunner.class);
        when(r.run(any())).thenAnswer(i -> {
            Command c = i.getArgument(0);
            String chardev = c.argv().get(c.argv().indexOf("-chardev") + 1);
            Files.writeString(Path.of(chardev.substring(chardev.indexOf("path=") + 5)), biosLog);
            return new CommandResult(c, code, new byte[0], new byte[0]);
        });
        return r;
    }

    @Test
    void aBiosThatReachesTheBootStageIsAWorkingAccelerator() {
        assertTrue(new BootProbe(qemu("SeaBIOS\nBooting from Hard Disk...\nNo bootable device.\n", 0)).boots("kvm"));
    }

    @Test
    void aBiosThatNeverGotThereIsNot() {
        assertFalse(new BootProbe(qemu("SeaBIOS\n", 0)).boots("kvm"));
        assertFalse(new BootProbe(qemu("No bootable device.\n", 1)).boots("kvm"));
    }

    @Test
    void aHungGuestKilledAtTheTimeoutIsNot() {
        CommandRunner r = mock(CommandRunner.class);
        when(r.run(any())).thenThrow(new CommandFailedException("did not finish within 20 s and was killed"));
        assertFalse(new BootProbe(r).boots("kvm"));
    }
}
