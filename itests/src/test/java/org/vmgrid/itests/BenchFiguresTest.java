package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchFiguresTest {

    @Test
    void theMedianOfAnOddCountIsTheMiddleValueOfAnEvenCountTheMeanOfTheTwoMiddleOnes() {
        assertEquals(2.0, BenchFigures.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, BenchFigures.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(7.0, BenchFigures.median(List.of(7.0)));
        assertThrows(IllegalArgumentException.class, () -> BenchFigures.median(List.of()));
    }

    @Test
    void aSpreadIsTheMedianWithTheSmallestAndLargestValue() {
        assertEquals("2.00 (1.00-9.50)", BenchFigures.spread(List.of(9.5, 1.0, 2.0)));
    }

    @Test
    void kibibytesArePrintedAsMebibytesAndAnAbsentFigureAsADash() {
        assertEquals("1.5", BenchFigures.mib(1536));
        assertEquals("-", BenchFigures.mib(-1));
    }

    @Test
    void aFailuresReasonIsItsLastNonBlankLine() {
        assertEquals("the guest stopped", BenchFigures.lastLine("booting\n  the guest stopped  \n\n"));
        assertEquals("(no output)", BenchFigures.lastLine(" \n"));
    }
}
