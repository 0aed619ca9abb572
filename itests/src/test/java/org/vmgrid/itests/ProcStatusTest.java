package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatusTest {

    @Test
    void readsTheResidentSetAndItsHighWaterMarkInKibibytes() {
        ProcStatus s = ProcStatus.parse("Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n"
                + "RssAnon:\t 90000 kB\n");
        assertEquals(102400, s.rssKib());
        assertEquals(204800, s.hwmKib());
    }

    @Test
    void aStatusWithoutMemoryLinesIsRefusedWithTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcStatus.parse("Name:\tkthreadd\nState:\tS (sleeping)\n"));
        assertTrue(e.getMessage().contains("kthreadd"), e.getMessage());
    }

    @Test
    void theFiguresOfThisProcessAreThereAndOfAGoneProcessAbsent() {
        ProcStatus self = ProcStatus.of(ProcessHandle.current().pid());
        assertTrue(self.rssKib() > 0 && self.hwmKib() >= self.rssKib(), self.toString());
        assertEquals(new ProcStatus(-1, -1), ProcStatus.of(Long.MAX_VALUE));
    }
}
