package org.vmgrid.pilot.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GuestStatusTest {

    @Test
    void bootedThenExit() {
        GuestStatus s = GuestStatus.parse("booted\nexit 42\n");
        assertTrue(s.booted());
        assertEquals(OptionalInt.of(42), s.exitCode());
        assertTrue(s.finished());
    }

    @Test
    void aLineStillBeingWrittenIsNotReadYet() {
        assertFalse(GuestStatus.parse("booted\nexit 4").finished());
    }

    @Test
    void onlyTheFirstVerdictCountsAndOutOfRangeCodesAreIgnored() {
        assertEquals(OptionalInt.of(1), GuestStatus.parse("exit 256\nexit 1\nexit 2\n").exitCode());
    }

    @Test
    void aGuestsErrorReasonIsCutAndMadePrintable() {
        GuestStatus s = GuestStatus.parse("error bad\u001b[31m context " + "x".repeat(300) + "\n");
        assertTrue(s.error().orElseThrow().startsWith("bad?[31m context x"));
        assertTrue(s.error().orElseThrow().length() <= 203);
    }

    @Test
    void nothingYet() {
        assertEquals(new GuestStatus(false, false, OptionalInt.empty(), Optional.empty()), GuestStatus.parse(""));
    }

    @Test
    void readyComesBeforeBootedInGuestContract2() {
        GuestStatus s = GuestStatus.parse("ready\n");
        assertTrue(s.ready());
        assertFalse(s.booted());
        assertFalse(GuestStatus.parse("ready").ready(), "a line is complete only with its newline");
        assertTrue(GuestStatus.parse("ready\nbooted\nexit 0\n").finished());
    }
}
