package org.vmgrid.pilot.internal.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;

class ReconnectingHypervisorTest {

    /** Hands out the given connections in turn; an empty queue means libvirt is unreachable. */
    private static Supplier<ReconnectingHypervisor.Connection> opener(Deque<ReconnectingHypervisor.Connection> next) {
        return () -> {
            if (next.isEmpty()) {
                throw new PilotException(FailureKind.HOST, "cannot connect to libvirt at test:///: no daemon");
            }
            return next.poll();
        };
    }

    @Test
    void aConnectionThatDiedIsReplacedAndTheCallGoesToTheNewOne() {
        ReconnectingHypervisor.Connection first = mock(ReconnectingHypervisor.Connection.class);
        ReconnectingHypervisor.Connection second = mock(ReconnectingHypervisor.Connection.class);
        when(first.alive()).thenReturn(false);
        when(second.alive()).thenReturn(true);
        when(second.isRunning("vmgrid-j")).thenReturn(true);
        ReconnectingHypervisor hv = new ReconnectingHypervisor(opener(new ArrayDeque<>(List.of(first, second))),
                Duration.ofSeconds(5), "test:///");
        assertTrue(hv.isRunning("vmgrid-j"));
        verify(first, never()).isRunning("vmgrid-j");
        verify(first, never()).close(); // another thread may still be in a call on it
        hv.close();
        verify(first).close();
        verify(second).close();
    }

    @Test
    void anAnswerFromAConnectionThatDiedDuringTheCallIsNotTakenForLibvirts() {
        ReconnectingHypervisor.Connection first = mock(ReconnectingHypervisor.Connection.class);
        ReconnectingHypervisor.Connection second = mock(ReconnectingHypervisor.Connection.class);
        // alive when asked before the call, dead after it: its "not running" was the broken connection's
        when(first.alive()).thenReturn(true, false);
        when(first.isRunning("vmgrid-j")).thenReturn(false);
        when(second.alive()).thenReturn(true);
        when(second.isRunning("vmgrid-j")).thenReturn(true);
        ReconnectingHypervisor hv = new ReconnectingHypervisor(opener(new ArrayDeque<>(List.of(first, second))),
                Duration.ofSeconds(5), "test:///");
        assertTrue(hv.isRunning("vmgrid-j"));
    }

    @Test
    void aFailureOnALiveConnectionIsLibvirtsAnswer() {
        ReconnectingHypervisor.Connection c = mock(ReconnectingHypervisor.Connection.class);
        when(c.alive()).thenReturn(true);
        when(c.define("<domain/>")).thenThrow(new PilotException(FailureKind.HOST, "libvirt could not define"));
        ReconnectingHypervisor hv = new ReconnectingHypervisor(opener(new ArrayDeque<>(List.of(c))),
                Duration.ofSeconds(5), "test:///");
        assertEquals("libvirt could not define", assertThrows(PilotException.class, () -> hv.define("<domain/>"))
                .getMessage());
    }

    @Test
    void libvirtThatStaysAwayPastThePatienceFailsTheCallSayingSo() {
        ReconnectingHypervisor.Connection dead = mock(ReconnectingHypervisor.Connection.class);
        when(dead.alive()).thenReturn(false);
        ReconnectingHypervisor hv = new ReconnectingHypervisor(opener(new ArrayDeque<>(List.of(dead))),
                Duration.ofSeconds(1), "test:///");
        PilotException e = assertThrows(PilotException.class, () -> hv.destroy("vmgrid-j"));
        assertEquals(FailureKind.HOST, e.kind());
        assertEquals("libvirt (test:///) has been unreachable for 1 s: cannot connect to libvirt at test:///: no daemon",
                e.getMessage());
    }

    @Test
    void noLibvirtAtTheStartFailsAtOnce() {
        assertThrows(PilotException.class, () -> new ReconnectingHypervisor(opener(new ArrayDeque<>()),
                Duration.ofSeconds(60), "test:///"));
    }
}
