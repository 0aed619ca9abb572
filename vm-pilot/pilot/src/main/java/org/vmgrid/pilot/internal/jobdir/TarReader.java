package org.vmgrid.pilot.internal.jobdir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads a tar archive a guest wrote, trusting nothing: POSIX ustar and GNU headers with their
 * checksums, pax extended headers ({@code path}, {@code size}) and GNU long names, each bounded.
 * Every entry comes out with its type and name as written; what may be done with it is
 * {@link EntryName}'s and the caller's business. The archive ends at its first zero block; an
 * archive that ends before it is {@link Truncated}, any other fault {@link Malformed}.
 */
final class TarReader {

    /** The largest pax extended header or GNU long name accepted. */
    static final int MAX_META = 1 << 16;

    /** One entry: its type flag ('0' file, '5' directory, '2' symbolic link, ...), name and data size. */
    record Entry(char type, byte[] name, long size) {
        boolean isFile() {
            return type == '0' || type == '\0' || type == '7';
        }

        boolean isDirectory() {
            return type == '5';
        }

        /** The name as text, if it is UTF-8. */
        Optional<String> text() {
            try {
                return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name)).toString());
            } catch (CharacterCodingException e) {
                return Optional.empty();
            }
        }
    }

    /** The archive is not a tar archive, or not one this reader accepts. */
    static class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    /** The archive ended inside an entry or before its end marker. */
    static final class Truncated extends Malformed {
        Truncated(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private long position;
    /** data of the current entry not read yet, then its padding */
    private long left;
    private long padding;
    private boolean ended;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** Bytes read so far. */
    long position() {
        return position;
    }

    /** The next entry; empty at the archive's end. The previous entry's unread data is skipped. */
    Optional<Entry> next() throws IOException {
        if (ended) {
            return Optional.empty();
        }
        skipRest();
        byte[] longName = null;
        String paxPath = null;
        Long paxSize = null;
        while (true) {
            byte[] h = new byte[TarWriter.BLOCK];
            if (!readBlock(h)) {
                throw new Truncated("the archive ends at byte " + position + " without its end marker (two zero blocks)");
            }
            if (isZero(h)) {
                ended = true;
                if (longName != null || paxPath != null || paxSize != null) {
                    throw new Malformed("the archive ends right after an extended header, at byte " + position);
                }
                return Optional.empty();
            }
            long at = position - TarWriter.BLOCK;
            checkHeader(h, at);
            char type = (char) (h[156] & 0xff);
            long size = number(h, 124, 12, at, "size");
            switch (type) {
                case 'x', 'g' -> {
                    byte[] body = meta(size, at);
                    if (type == 'x') {
                        for (String[] kv : paxRecords(body, at)) {
                            if (kv[0].equals("path")) {
                                paxPath = kv[1];
                            } else if (kv[0].equals("size")) {
                                if (!kv[1].matches("[0-9]{1,18}")) {
                                    throw new Malformed("the pax header at byte " + at + " gives size '" + kv[1] + "'");
                                }
                                paxSize = Long.parseLong(kv[1]);
                            }
                        }
                    }
                }
                case 'L' -> {
                    byte[] body = meta(size, at);
                    int end = 0;
                    while (end < body.length && body[end] != 0) {
                        end++;
                    }
                    longName = Arrays.copyOf(body, end);
                }
                case 'K' -> meta(size, at); // a long link target: links are not taken back
                default -> {
                    byte[] name = longName != null ? longName
                            : paxPath != null ? paxPath.getBytes(StandardCharsets.UTF_8) : headerName(h);
                    long dataSize = paxSize != null ? paxSize : size;
                    boolean hasData = !(type >= '1' && type <= '6');
                    left = hasData ? dataSize : 0;
                    padding = hasData ? (TarWriter.BLOCK - dataSize % TarWriter.BLOCK) % TarWriter.BLOCK : 0;
                    return Optional.of(new Entry(type, name, hasData ? dataSize : 0));
                }
            }
        }
    }

    /** The current entry's data: exactly its size, then end of stream. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    throw new Truncated("the archive ends inside an entry's data, at byte " + position);
                }
                left -= n;
                position += n;
                return n;
            }
        };
    }

    private void skipRest() throws IOException {
        InputStream c = content();
        byte[] buf = new byte[65536];
        while (c.read(buf, 0, buf.length) >= 0) {
            // skipped
        }
        skipExactly(padding);
        padding = 0;
    }

    private void skipExactly(long n) throws IOException {
        byte[] buf = new byte[TarWriter.BLOCK];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new Truncated("the archive ends inside an entry's padding, at byte " + position);
            }
            n -= r;
            position += r;
        }
    }

    private byte[] meta(long size, long at) throws IOException {
        if (size > MAX_META) {
            throw new Malformed("an extended header of " + size + " bytes at byte " + at + " (at most " + MAX_META + ")");
        }
        byte[] body = new byte[(int) size];
        left = size;
        int got = 0;
        InputStream c = content();
        while (got < body.length) {
            got += c.read(body, got, body.length - got);
        }
        skipExactly((TarWriter.BLOCK - size % TarWriter.BLOCK) % TarWriter.BLOCK);
        return body;
    }

    /** pax records, {@code "<length> key=value\n"}, each exactly its length. */
    private static java.util.List<String[]> paxRecords(byte[] body, long at) throws Malformed {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        int i = 0;
        while (i < body.length) {
            int sp = i;
            while (sp < body.length && body[sp] >= '0' && body[sp] <= '9' && sp - i < 8) {
                sp++;
            }
            if (sp == i || sp >= body.length || body[sp] != ' ') {
                throw new Malformed("the pax header at byte " + at + " has a record without a length");
            }
            int len = Integer.parseInt(new String(body, i, sp - i, StandardCharsets.US_ASCII));
            int end = i + len;
            if (len <= sp - i + 1 || end > body.length || body[end - 1] != '\n') {
                throw new Malformed("the pax header at byte " + at + " has a record of a wrong length");
            }
            String rec;
            try {
                rec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(body, sp + 1, end - sp - 2)).toString();
            } catch (CharacterCodingException e) {
                throw new Malformed("the pax header at byte " + at + " is not UTF-8");
            }
            int eq = rec.indexOf('=');
            if (eq <= 0) {
                throw new Malformed("the pax header at byte " + at + " has a record that is not key=value");
            }
            out.add(new String[] {rec.substring(0, eq), rec.substring(eq + 1)});
            i = end;
        }
        return out;
    }

    private boolean readBlock(byte[] h) throws IOException {
        int got = 0;
        while (got < h.length) {
            int n = in.read(h, got, h.length - got);
            if (n < 0) {
                if (got > 0) {
                    position += got;
                }
                return false;
            }
            got += n;
        }
        position += h.length;
        return true;
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The checksum (unsigned, or signed as old tars wrote it) and the ustar or GNU magic. */
    private static void checkHeader(byte[] h, long at) throws Malformed {
        long stored = number(h, 148, 8, at, "checksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < h.length; i++) {
            int b = i >= 148 && i < 156 ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += (byte) b;
        }
        if (stored != unsigned && stored != signed) {
            throw new Malformed("the header at byte " + at + " fails its checksum");
        }
        boolean posix = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r' && h[262] == 0;
        boolean gnu = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r' && h[262] == ' ';
        if (!posix && !gnu) {
            throw new Malformed("the header at byte " + at + " is neither ustar nor GNU tar");
        }
    }

    /** The name field, with the ustar prefix where the header is POSIX ustar. */
    private static byte[] headerName(byte[] h) {
        byte[] name = field(h, 0, 100);
        boolean posix = h[262] == 0;
        byte[] prefix = posix ? field(h, 345, 155) : new byte[0];
        if (prefix.length == 0) {
            return name;
        }
        byte[] all = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
        all[prefix.length] = '/';
        System.arraycopy(name, 0, all, prefix.length + 1, name.length);
        return all;
    }

    private static byte[] field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return Arrays.copyOfRange(h, off, end);
    }

    /** An octal field (spaces or NULs around the digits), or GNU's base-256 for a positive number. */
    static long number(byte[] h, int off, int len, long at, String what) throws Malformed {
        if ((h[off] & 0x80) != 0) {
            if (h[off] != (byte) 0x80) {
                throw new Malformed("the header at byte " + at + " has a negative or huge " + what);
            }
            long v = 0;
            for (int i = off + 1; i < off + len; i++) {
                if (v > (Long.MAX_VALUE >> 8)) {
                    throw new Malformed("the header at byte " + at + " has a huge " + what);
                }
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        int i = off;
        int end = off + len;
        while (i < end && h[i] == ' ') {
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < end && h[i] >= '0' && h[i] <= '7') {
            v = v * 8 + (h[i] - '0');
            digits++;
            i++;
        }
        while (i < end && (h[i] == ' ' || h[i] == 0)) {
            i++;
        }
        if (i != end || digits == 0 || digits > 21) {
            throw new Malformed("the header at byte " + at + " has a " + what + " that is not an octal number");
        }
        return v;
    }
}
