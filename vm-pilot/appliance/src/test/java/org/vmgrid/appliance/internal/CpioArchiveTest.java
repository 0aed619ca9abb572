package org.vmgrid.appliance.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpioArchiveTest {

    /** One parsed newc entry. */
    record Parsed(String name, int mode, long mtime, int nlink, int rdevMajor, int rdevMinor, byte[] data) {
    }

    /** A newc reader, independent of the writer, for the tests. */
    static List<Parsed> parse(byte[] a) {
        List<Parsed> out = new ArrayList<>();
        int pos = 0;
        while (true) {
            String h = new String(a, pos, 110, StandardCharsets.US_ASCII);
            assertEquals("070701", h.substring(0, 6), "magic at " + pos);
            int mode = field(h, 1);
            int nlink = field(h, 4);
            long mtime = field(h, 5);
            int size = field(h, 6);
            int namesize = field(h, 11);
            String name = new String(a, pos + 110, namesize - 1, StandardCharsets.UTF_8);
            assertEquals(0, a[pos + 110 + namesize - 1], "name NUL");
            pos = align(pos + 110 + namesize);
            byte[] data = java.util.Arrays.copyOfRange(a, pos, pos + size);
            pos = align(pos + size);
            if (name.equals("TRAILER!!!")) {
                assertEquals(a.length, pos, "nothing after the trailer");
                return out;
            }
            out.add(new Parsed(name, mode, mtime, nlink, field(h, 9), field(h, 10), data));
        }
    }

    private static int field(String header, int i) {
        return Integer.parseUnsignedInt(header.substring(6 + 8 * i, 14 + 8 * i), 16);
    }

    private static int align(int p) {
        return (p + 3) & ~3;
    }

    @Test
    void writesSortedNewcEntriesWithOneTimestampAndATrailer() {
        byte[] a = new CpioArchive(1_767_225_600L)
                .file("init", "#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII), 0755)
                .directory("bin")
                .symlink("bin/sh", "busybox")
                .characterDevice("dev/console", 5, 1)
                .directory("dev")
                .toBytes();
        List<Parsed> entries = parse(a);
        assertEquals(List.of("bin", "bin/sh", "dev", "dev/console", "init"), entries.stream().map(Parsed::name).toList());
        for (Parsed p : entries) {
            assertEquals(1_767_225_600L, p.mtime(), p.name());
        }
        assertEquals(040755, entries.get(0).mode());
        assertEquals(2, entries.get(0).nlink());
        assertEquals(0120777, entries.get(1).mode());
        assertArrayEquals("busybox".getBytes(StandardCharsets.US_ASCII), entries.get(1).data());
        assertEquals(020600, entries.get(3).mode());
        assertEquals(5, entries.get(3).rdevMajor());
        assertEquals(1, entries.get(3).rdevMinor());
        assertEquals(0100755, entries.get(4).mode());
        assertArrayEquals("#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII), entries.get(4).data());
    }

    @Test
    void theSameContentInAnyOrderGivesTheSameBytes() {
        byte[] one = new CpioArchive(7).directory("a").file("a/x", new byte[] {1, 2, 3}, 0644).file("b", new byte[5], 0600)
                .toBytes();
        byte[] two = new CpioArchive(7).file("b", new byte[5], 0600).file("a/x", new byte[] {1, 2, 3}, 0644).directory("a")
                .toBytes();
        assertArrayEquals(one, two);
    }

    @Test
    void refusesPathsThatLeaveTheArchiveRootOrRepeat() {
        CpioArchive a = new CpioArchive(0).directory("bin");
        for (String bad : List.of("/etc/passwd", "../x", "bin/../../x", "bin/", "", "a//b", "./a")) {
            assertThrows(IllegalArgumentException.class, () -> a.file(bad, new byte[0], 0644), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> a.directory("bin"));
    }
}
