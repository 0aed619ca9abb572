package org.vmgrid.pilot.internal.jobdir;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Consumer;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobDirectory;
import org.vmgrid.pilot.PilotException;

/**
 * The job directory on disks, for guests without the shared file system: the {@code jobdir-in} disk
 * holds a tar archive of the job directory as the job starts, and the guest writes a tar archive of
 * what it made or changed there onto the empty {@code jobdir-out} disk, which the pilot reads once
 * the guest has powered off. Both are raw files in the job's own directory, at most the site's
 * {@code jobdir.max.bytes} each; what comes back is checked entry by entry ({@link TarReader},
 * {@link EntryName}) before the job's user writes it ({@link JobDirectory}).
 */
public final class JobdirDisks {

    /** The disks' serial numbers, which the guest finds them by. */
    public static final String IN_SERIAL = "jobdir-in";
    public static final String OUT_SERIAL = "jobdir-out";

    private final long maxBytes;

    /** @param maxBytes the site's {@code jobdir.max.bytes}: the most either archive may take */
    public JobdirDisks(long maxBytes) {
        if (maxBytes < TarWriter.RECORD) {
            throw new IllegalArgumentException("jobdir.max.bytes must be at least " + TarWriter.RECORD + ", was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Writes the job directory's archive onto the {@code jobdir-in} disk file.
     *
     * @throws PilotException REFUSED when the job directory does not fit {@code jobdir.max.bytes},
     *     HOST when it could not be packed or written
     */
    public void writeIn(String jobId, JobDirectory dir, Path disk) {
        try (OutputStream file = Files.newOutputStream(disk, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Capped out = new Capped(file, maxBytes)) {
            dir.archive(out, maxBytes);
            out.padToSector();
        } catch (IOException e) {
            if (!full(e)) {
                throw new PilotException(FailureKind.HOST, "job " + jobId + ": cannot hand the job directory to the "
                        + "guest: " + e.getMessage(), e);
            }
            throw new PilotException(FailureKind.REFUSED, "job " + jobId + ": its job directory takes more than the "
                    + maxBytes + " bytes (jobdir.max.bytes) this site gives a guest without a shared job directory; "
                    + "make it smaller or use an image that mounts it");
        }
    }

    /** Whether the cap ended the packing (the archive's reader wraps the error with the file's name). */
    private static boolean full(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Capped.Full) {
                return true;
            }
        }
        return false;
    }

    /** Makes the empty {@code jobdir-out} disk file: {@code jobdir.max.bytes}, sparse. */
    public void createOut(Path disk) throws IOException {
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = (maxBytes + 511) / 512 * 512;
            ch.write(java.nio.ByteBuffer.allocate(1), size - 1);
        }
    }

    /**
     * Takes back what the guest returned on its {@code jobdir-out} disk, read through {@code disk}
     * (opened before the VM started): directories and regular files, each name checked; every other
     * entry (links, devices, FIFOs, refused names) is left out with a note.
     *
     * @throws PilotException LIMIT when the archive fills the disk without its end, BOOT when it is no
     *     tar archive, HOST when the job's user could not write the files
     */
    public void takeBack(String jobId, FileChannel disk, JobDirectory dir, Consumer<String> notes) {
        long size;
        InputStream in;
        try {
            size = Math.min(disk.size(), maxBytes);
            in = new BufferedInputStream(new Bounded(Channels.newInputStream(disk.position(0L)), size), 1 << 16);
        } catch (IOException e) {
            throw new PilotException(FailureKind.HOST, "job " + jobId + ": cannot read the jobdir-out disk: " + e, e);
        }
        TarReader tar = new TarReader(in);
        try {
            for (Optional<TarReader.Entry> e = tar.next(); e.isPresent(); e = tar.next()) {
                take(e.get(), tar, dir, notes);
            }
            dir.finish();
        } catch (TarReader.Truncated e) {
            throw new PilotException(FailureKind.LIMIT, "job " + jobId + ": the guest's archive of the job directory "
                    + "ran past the end of its jobdir-out disk (" + size + " bytes, jobdir.max.bytes): the payload's "
                    + "files were not taken back; write less into the job directory, or ask the site for more");
        } catch (TarReader.Malformed e) {
            throw new PilotException(FailureKind.BOOT, "job " + jobId + ": the guest's jobdir-out disk holds no tar "
                    + "archive of the job directory (" + e.getMessage() + "); the payload's files were not taken back");
        } catch (IOException e) {
            throw new PilotException(FailureKind.HOST, "job " + jobId + ": the payload's files could not be written "
                    + "back into the job directory: " + e.getMessage(), e);
        }
    }

    private static void take(TarReader.Entry e, TarReader tar, JobDirectory dir, Consumer<String> notes)
            throws IOException {
        Optional<String> text = e.text();
        if (text.isEmpty()) {
            notes.accept("not taken back from the guest: an entry whose name is not UTF-8");
            return;
        }
        Optional<String> name;
        try {
            name = EntryName.check(text.get());
        } catch (IllegalArgumentException x) {
            notes.accept("not taken back from the guest: an entry with " + x.getMessage());
            return;
        }
        if (name.isEmpty()) {
            return;
        }
        if (e.isDirectory()) {
            dir.directory(name.get());
        } else if (e.isFile()) {
            dir.file(name.get(), e.size(), tar.content());
        } else {
            notes.accept("not taken back from the guest: " + name.get() + " (" + kind(e.type()) + ")");
        }
    }

    private static String kind(char type) {
        return switch (type) {
            case '1' -> "a hard link";
            case '2' -> "a symbolic link";
            case '3', '4' -> "a device";
            case '6' -> "a FIFO";
            default -> "an entry of tar type '" + (type >= 0x20 && type < 0x7f ? type : '?') + "'";
        };
    }

    /** At most {@code left} bytes of a stream. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long left) {
            this.in = in;
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** Counts what is written and refuses more than the cap. */
    private static final class Capped extends OutputStream {
        static final class Full extends IOException {
            Full() {
                super("over the cap");
            }
        }

        private final OutputStream out;
        private final long cap;
        private long written;

        Capped(OutputStream out, long cap) {
            this.out = new java.io.BufferedOutputStream(out, 1 << 16);
            this.cap = cap;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written + len > cap) {
                throw new Full();
            }
            out.write(b, off, len);
            written += len;
        }

        /** Zeros up to a whole sector: a virtio disk is read in 512-byte sectors. */
        void padToSector() throws IOException {
            int rest = (int) ((512 - written % 512) % 512);
            write(new byte[rest], 0, rest);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
