package org.vmgrid.pilot.internal.jobdir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a POSIX tar archive (ustar headers, with a pax extended header where a name or a size does
 * not fit): what {@code tar -x} of GNU tar or busybox reads. Entries are owned by root (uid and gid
 * 0, no names) and keep only the permission bits (no setuid, setgid or sticky bit).
 */
final class TarWriter {

    static final int BLOCK = 512;
    /** What GNU tar pads an archive to (its default blocking factor, 20). */
    static final int RECORD = 20 * BLOCK;
    private static final long MAX_OCTAL_11 = 077777777777L;

    private final OutputStream out;
    private long written;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    /** A directory entry; {@code name} relative, without a trailing '/'. */
    void directory(String name, int mode, long mtime) throws IOException {
        header(name + "/", '5', 0, mode, mtime, "");
    }

    /** A symbolic link, its target as the job directory has it. */
    void symlink(String name, String target, long mtime) throws IOException {
        header(name, '2', 0, 0777, mtime, target);
    }

    /**
     * A regular file of exactly {@code size} bytes: a file that shrank while it was read is padded
     * with zero bytes, one that grew is cut at {@code size}.
     */
    void file(String name, int mode, long mtime, long size, InputStream content) throws IOException {
        header(name, '0', size, mode, mtime, "");
        byte[] buf = new byte[65536];
        long left = size;
        while (left > 0) {
            int n = content.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                break;
            }
            write(buf, 0, n);
            left -= n;
        }
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            Arrays.fill(buf, 0, n, (byte) 0);
            write(buf, 0, n);
            left -= n;
        }
        pad();
    }

    /** The end: two zero blocks, then zeros up to a whole record. */
    void finish() throws IOException {
        write(new byte[2 * BLOCK], 0, 2 * BLOCK);
        int rest = (int) ((RECORD - written % RECORD) % RECORD);
        write(new byte[rest], 0, rest);
        out.flush();
    }

    long written() {
        return written;
    }

    private void header(String name, char type, long size, int mode, long mtime, String link) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        StringBuilder pax = new StringBuilder();
        if (nameBytes.length > 100) {
            pax.append(record("path", name));
        }
        if (linkBytes.length > 100) {
            pax.append(record("linkpath", link));
        }
        if (size > MAX_OCTAL_11) {
            pax.append(record("size", Long.toString(size)));
        }
        long time = Math.max(0, Math.min(mtime, MAX_OCTAL_11));
        if (pax.length() > 0) {
            byte[] body = pax.toString().getBytes(StandardCharsets.UTF_8);
            write(block("PaxHeader/" + cut(nameBytes, 80), 'x', body.length, 0644, time, new byte[0]), 0, BLOCK);
            write(body, 0, body.length);
            pad();
        }
        write(block(cutName(nameBytes), type, size > MAX_OCTAL_11 ? 0 : size, mode & 0777, time,
                Arrays.copyOf(linkBytes, Math.min(100, linkBytes.length))), 0, BLOCK);
    }

    /** A pax record, {@code "<length> key=value\n"}, the length counting itself. */
    static String record(String key, String value) {
        int rest = key.length() + value.getBytes(StandardCharsets.UTF_8).length + 3; // ' ', '=', '\n'
        int len = rest + Integer.toString(rest).length();
        if (Integer.toString(len).length() != Integer.toString(rest).length()) {
            len++;
        }
        return len + " " + key + "=" + value + "\n";
    }

    private static String cutName(byte[] name) {
        return cut(name, 100);
    }

    /** At most {@code max} bytes of a UTF-8 name, never cutting a character. */
    private static String cut(byte[] name, int max) {
        int n = Math.min(max, name.length);
        while (n > 0 && n < name.length && (name[n] & 0xC0) == 0x80) {
            n--;
        }
        return new String(name, 0, n, StandardCharsets.UTF_8);
    }

    private static byte[] block(String name, char type, long size, int mode, long mtime, byte[] link) {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        System.arraycopy(link, 0, h, 157, Math.min(100, link.length));
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    /** {@code width - 1} octal digits, zero-padded, then NUL. */
    private static void octal(byte[] h, int off, int width, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > width - 1) {
            throw new IllegalArgumentException("value " + value + " does not fit a " + width + "-byte tar field");
        }
        s = "0".repeat(width - 1 - s.length()) + s;
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, width - 1);
        h[off + width - 1] = 0;
    }

    private void pad() throws IOException {
        int rest = (int) ((BLOCK - written % BLOCK) % BLOCK);
        write(new byte[rest], 0, rest);
    }

    private void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        written += len;
    }
}
