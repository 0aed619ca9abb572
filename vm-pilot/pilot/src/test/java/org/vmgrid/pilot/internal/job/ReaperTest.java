package org.vmgrid.pilot.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.pilot.internal.libvirt.Hypervisor;
import org.vmgrid.pilot.internal.libvirt.LabelledDomain;

class ReaperTest {

    @Test
    void reapsOnlyDomainsWhosePilotIsGoneWithTheirJobDirectories(@TempDir Path state) throws Exception {
        Hypervisor hv = mock(Hypervisor.class);
        when(hv.labelledDomains()).thenReturn(List.of(new LabelledDomain("vmgrid-dead", "dead", 100, true),
                new LabelledDomain("vmgrid-live", "live", 200, true), new LabelledDomain("vmgrid-../x", "../x", 100, false)));
        Files.createDirectories(state.resolve("dead"));
        Files.writeString(state.resolve("dead/overlay.qcow2"), "x");
        Files.createDirectories(state.resolve("live"));
        List<String> reaped = new Reaper(hv, state, pid -> pid == 200).reap();
        assertEquals(List.of("vmgrid-dead", "vmgrid-../x"), reaped);
        verify(hv).destroy("vmgrid-dead");
        verify(hv).undefine("vmgrid-dead");
        verify(hv, never()).destroy("vmgrid-live");
        assertFalse(Files.exists(state.resolve("dead")));
        assertTrue(Files.exists(state.resolve("live")));
        assertTrue(Files.exists(state.getParent()), "a label that is no job id never names a directory to remove");
    }

    @Test
    void thisProcessIsAliveAndAnImpossiblePidIsNot() {
        assertTrue(Reaper.processAlive(ProcessHandle.current().pid()));
        assertFalse(Reaper.processAlive(Long.MAX_VALUE));
    }
}
