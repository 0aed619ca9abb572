package org.vmgrid.appliance.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reproducible initramfs archive in the kernel's {@code newc} cpio format: entries sorted by
 * path, owned by root, all with one timestamp and inode numbers given in that order, so the same
 * content always gives the same bytes.
 */
final class CpioArchive {

    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;

    private record Entry(int mode, byte[] data, int rdevMajor, int rdevMinor) {
    }

    private final Map<String, Entry> entries = new TreeMap<>();
    private final long mtime;

    /** @param mtime seconds since 1970 written as every entry's modification time */
    CpioArchive(long mtime) {
        this.mtime = mtime;
    }

    CpioArchive directory(String path) {
        return put(path, new Entry(S_IFDIR | 0755, new byte[0], 0, 0));
    }

    CpioArchive file(String path, byte[] content, int permissions) {
        return put(path, new Entry(S_IFREG | (permissions & 07777), content.clone(), 0, 0));
    }

    CpioArchive symlink(String path, String target) {
        return put(path, new Entry(S_IFLNK | 0777, target.getBytes(StandardCharsets.UTF_8), 0, 0));
    }

    CpioArchive characterDevice(String path, int major, int minor) {
        return put(path, new Entry(S_IFCHR | 0600, new byte[0], major, minor));
    }

    private CpioArchive put(String path, Entry e) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("//") || path.endsWith("/")
                || ("/" + path + "/").contains("/../") || ("/" + path + "/").contains("/./")) {
            throw new IllegalArgumentException("not a relative archive path: " + path);
        }
        if (entries.putIfAbsent(path, e) != null) {
            throw new IllegalArgumentException("archive path given twice: " + path);
        }
        return this;
    }

    /** The archive, trailer included. */
    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    void writeTo(OutputStream out) throws IOException {
        int ino = 1;
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            write(out, me.getKey(), ino++, e.mode(), (e.mode() & 0170000) == S_IFDIR ? 2 : 1,
                    e.data(), e.rdevMajor(), e.rdevMinor());
        }
        write(out, "TRAILER!!!", 0, 0, 1, new byte[0], 0, 0);
    }

    private void write(OutputStream out, String name, int ino, int mode, int nlink, byte[] data, int rdevMajor,
            int rdevMinor) throws IOException {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        for (long v : new long[] {ino, mode, 0, 0, nlink, mtime, data.length, 0, 0, rdevMajor, rdevMinor,
                nameBytes.length, 0}) {
            h.append(String.format("%08x", v));
        }
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(nameBytes);
        pad(out, 110 + nameBytes.length);
        out.write(data);
        pad(out, data.length);
    }

    private static void pad(OutputStream out, int written) throws IOException {
        out.write(new byte[(4 - written % 4) % 4]);
    }
}
