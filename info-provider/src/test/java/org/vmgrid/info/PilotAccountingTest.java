package org.vmgrid.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.info.internal.PilotAccounting;

/** Sums the pilots' JSON-lines accounting over the last 24 hours (recorded lines in the pilot's format). */
class PilotAccountingTest {

    @TempDir
    Path dir;

    @Test
    void jobsThatEndedInTheLastDayAreCountedAndJunkIsSkipped() {
        // NOW is 06:00: 1001, 1002, 1003 ended in the window; 0999 two days ago; 1004 after NOW; two junk lines
        PilotAccounting.Figures f = PilotAccounting.read(Path.of("src/test/resources/accounting.jsonl"), InfoFixtures.NOW).orElseThrow();
        assertEquals(new PilotAccounting.Figures(3, 1, (1800 + 2700 + 900) / 3600.0, 2), f);
        assertEquals(List.of("VMJobsFinished24h=3", "VMJobsFailed24h=1", "VMWallHours24h=1.50"), f.otherInfo());
    }

    @Test
    void noAccountingFileOnThisHostMeansNoFigures() {
        assertTrue(PilotAccounting.read(dir.resolve("absent.jsonl"), InfoFixtures.NOW).isEmpty());
    }
}
