package org.vmgrid.pilot.internal.service;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.Consumer;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotClient;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotRequest;
import org.vmgrid.pilot.internal.jobdir.JobdirArchive;
import org.vmgrid.pilot.internal.jobdir.JobdirDisks;
import org.vmgrid.pilot.internal.jobdir.LocalJobDirectory;
import org.vmgrid.pilot.internal.text.Printable;

/**
 * The client's side of the job directory's exchange ({@link Frames#OFFERS_JOBDIR}), run as the job's
 * user: packs the job directory when the service asks (one byte past the cap at most, so that the
 * service refuses it with the site's reason), keeps what comes back in a private file and, once the
 * payload exited, unpacks it into the job directory entry by entry ({@link JobdirDisks#takeBack}, as a
 * pilot run by the job does). What was left out either way is noted on the job's stderr.
 */
public final class ClientJobdir implements AutoCloseable {

    private static final int CHUNK = 1 << 16;

    private final PilotRequest request;
    private final OutputStream socket;
    private final Consumer<String> notes;
    private long maxBytes;
    private Path spool;
    private OutputStream spooled;

    public ClientJobdir(PilotRequest request, OutputStream socket, OutputStream stderr) {
        this.request = request;
        this.socket = socket;
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        this.notes = note -> err.println("vmgrid: note: " + Printable.escape(note));
    }

    /**
     * Sends the job directory's archive, then its end.
     *
     * @throws PilotException HOST when the job directory cannot be packed (the caller cancels)
     * @throws IOException when the connection fails
     */
    public void send(long max) throws IOException {
        if (maxBytes != 0) {
            throw new IOException("the service asked for the job directory twice");
        }
        maxBytes = Math.max(max, 1);
        spool = Files.createTempFile("vmgrid-jobdir-", ".tar");
        spooled = Files.newOutputStream(spool, StandardOpenOption.WRITE);
        Chunks chunks = new Chunks(maxBytes + 1);
        try {
            JobdirArchive.write(request.workdir(), chunks, notes);
        } catch (IOException e) {
            // the archive's reader wraps what its output threw with the file's name
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof Chunks.Sent sent) {
                    throw sent.failure;
                }
                if (t instanceof Chunks.Capped) {
                    break; // the service refuses it, saying why
                }
                if (t.getCause() == null) {
                    throw new PilotException(FailureKind.HOST, "cannot pack the job directory " + request.workdir()
                            + " for the guest: " + e.getMessage());
                }
            }
        }
        chunks.flushChunk();
        Frames.write(socket, Frames.JOBDIR_IN, new byte[0], 0, 0);
    }

    /** Keeps a chunk of what the guest returned; false when the directory was never asked for. */
    public boolean receive(byte[] chunk) throws IOException {
        if (spooled == null) {
            return false;
        }
        spooled.write(chunk);
        return true;
    }

    /**
     * The job's result once what the guest returned is in the job directory: as the service said it,
     * or, when the payload exited and its files cannot all be unpacked, a failure saying why.
     */
    public PilotClient.Result unpack(PilotClient.Result r) throws IOException {
        if (spooled == null || r.exitCode().isEmpty()) {
            return r;
        }
        spooled.close();
        try (FileChannel ch = FileChannel.open(spool, StandardOpenOption.READ)) {
            new JobdirDisks(Math.max(Files.size(spool), 1L << 20)).takeBack(r.jobId(), ch,
                    new LocalJobDirectory(request.workdir(), notes), notes);
            return r;
        } catch (PilotException e) {
            return new PilotClient.Result(r.jobId(), Optional.empty(), Optional.of(e.kind()), e.getMessage()
                    + " (the payload exited " + r.exitCode().get() + ")");
        }
    }

    /** Removes the private copy of what came back. */
    @Override
    public void close() {
        try {
            if (spooled != null) {
                spooled.close();
            }
            if (spool != null) {
                Files.deleteIfExists(spool);
            }
        } catch (IOException e) {
            // a file of the job's user in its temporary directory; nothing else to do
        }
    }

    /** The archive cut into {@link Frames#JOBDIR_IN} frames, no more than the cap. */
    private final class Chunks extends OutputStream {
        /** The cap passed: what was sent is enough for the service to refuse. */
        static final class Capped extends IOException {
            Capped() {
                super("over the cap");
            }
        }

        /** Writing to the service failed. */
        static final class Sent extends IOException {
            final IOException failure;

            Sent(IOException failure) {
                super(failure);
                this.failure = failure;
            }
        }

        private final long cap;
        private final byte[] buf = new byte[CHUNK];
        private int n;
        private long total;

        Chunks(long cap) {
            this.cap = cap;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (total == cap) {
                    throw new Capped();
                }
                int k = (int) Math.min(Math.min(len, buf.length - n), cap - total);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                total += k;
                off += k;
                len -= k;
                if (n == buf.length) {
                    flushChunk();
                }
            }
        }

        void flushChunk() throws Sent {
            if (n == 0) {
                return;
            }
            try {
                Frames.write(socket, Frames.JOBDIR_IN, buf, 0, n);
            } catch (IOException e) {
                throw new Sent(e);
            }
            n = 0;
        }
    }
}
