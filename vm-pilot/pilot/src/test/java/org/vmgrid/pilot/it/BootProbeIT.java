package org.vmgrid.pilot.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.pilot.internal.job.BootProbe;

/** The probe boot with the real QEMU: software emulation boots everywhere; a bogus accelerator does not. */
class BootProbeIT {

    @Test
    void tcgBootsTheBiosAndABogusAcceleratorDoesNot() {
        BootProbe probe = new BootProbe(new ProcessCommandRunner());
        assertTrue(probe.boots("tcg"));
        assertFalse(probe.boots("nosuchaccel"));
    }
}
