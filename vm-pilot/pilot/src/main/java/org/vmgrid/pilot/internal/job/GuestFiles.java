package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The files a guest writes through libvirt (its stdout, stderr and status ports and its console),
 * opened for reading by the pilot before the VM starts. libvirtd opens them for QEMU itself and may
 * take them over (they end up root's, mode 0600): what the pilot opened before stays readable, and
 * nobody else, not even the job's user, can open them.
 */
final class GuestFiles implements AutoCloseable {

    final FileChannel stdout;
    final FileChannel stderr;
    final FileChannel status;
    final FileChannel console;

    private GuestFiles(FileChannel stdout, FileChannel stderr, FileChannel status, FileChannel console) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.status = status;
        this.console = console;
    }

    static GuestFiles open(JobFiles f) throws IOException {
        FileChannel out = null;
        FileChannel err = null;
        FileChannel st = null;
        try {
            out = read(f.stdout());
            err = read(f.stderr());
            st = read(f.status());
            return new GuestFiles(out, err, st, read(f.console()));
        } catch (IOException e) {
            for (FileChannel c : new FileChannel[] {out, err, st}) {
                if (c != null) {
                    c.close();
                }
            }
            throw e;
        }
    }

    private static FileChannel read(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.READ);
    }

    /**
     * The first bytes of a file, at most {@code max}; one more byte than that when the file holds
     * more, so that the caller can tell.
     */
    static byte[] head(FileChannel ch, int max) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(max + 1);
        long pos = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n <= 0) {
                break;
            }
            pos += n;
        }
        byte[] b = new byte[buf.position()];
        buf.flip().get(b);
        return b;
    }

    /** The last bytes of a file, at most {@code max}. */
    static byte[] tail(FileChannel ch, int max) throws IOException {
        long size = ch.size();
        long from = Math.max(0, size - max);
        ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
        while (buf.hasRemaining() && ch.read(buf, from + buf.position()) > 0) {
            // read on
        }
        byte[] b = new byte[buf.position()];
        buf.flip().get(b);
        return b;
    }

    @Override
    public void close() throws IOException {
        try (stdout; stderr; status; console) {
            // all four closed
        }
    }
}
