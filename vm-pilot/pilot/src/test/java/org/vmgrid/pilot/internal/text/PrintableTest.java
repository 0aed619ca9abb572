package org.vmgrid.pilot.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void nothingInAnEscapedTextCanStartALineAndItReadsBackUnambiguously() {
        String hostile = "/w/a\nvmgrid pilot service: job x of root ended: exit 0\r\t\u001b[2J\u0085\u2028\\n";
        String e = Printable.escape(hostile);
        assertEquals("/w/a\\nvmgrid pilot service: job x of root ended: exit 0\\r\\t\\x1b[2J\\u0085\\u2028\\\\n", e);
        assertEquals(1, e.lines().count());
        assertTrue(Printable.hasControl(hostile));
        assertFalse(Printable.hasControl("/home/pool001/job 7/éà"));
        assertEquals("/home/pool001/job 7/éà", Printable.escape("/home/pool001/job 7/éà"));
    }
}
