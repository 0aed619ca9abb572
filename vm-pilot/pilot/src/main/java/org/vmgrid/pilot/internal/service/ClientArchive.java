package org.vmgrid.pilot.internal.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.vmgrid.pilot.internal.jobdir.StreamedJobDirectory;

/**
 * The job directory's archive as a client of the pilot service sends it ({@link Frames#JOBDIR_IN}),
 * asked for once ({@link Frames#JOBDIR_WANTED}). The connection's reader hands each chunk over; the
 * job's thread reads them as one stream, which fails when the client goes away or sends nothing for
 * {@link #IDLE}. Chunks nobody reads any more are dropped, so that the reader never waits on them.
 */
final class ClientArchive implements StreamedJobDirectory.Source {

    /** How long the client may send nothing while it packs. */
    static final Duration IDLE = Duration.ofSeconds(120);
    private static final byte[] GONE = new byte[0];
    private static final byte[] END = new byte[0];

    private final FrameSink sink;
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(16);
    private volatile boolean asked;
    private volatile boolean closed;

    ClientArchive(FrameSink sink) {
        this.sink = sink;
    }

    @Override
    public InputStream archive(long maxBytes) throws IOException {
        if (asked) {
            throw new IOException("the job directory's archive was asked for twice");
        }
        asked = true;
        sink.frame(Frames.JOBDIR_WANTED, Frames.jobdirWanted(maxBytes));
        return new InputStream() {
            private byte[] chunk = new byte[0];
            private int pos;
            private boolean ended;

            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (pos == chunk.length) {
                    if (ended) {
                        return -1;
                    }
                    byte[] next;
                    try {
                        next = chunks.poll(IDLE.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while the client sent the job directory");
                    }
                    if (next == null) {
                        throw new IOException("the client sent no part of the job directory's archive for "
                                + IDLE.toSeconds() + " s");
                    }
                    if (next == GONE) {
                        throw new IOException("the client went away while it sent the job directory's archive");
                    }
                    if (next == END) {
                        ended = true;
                        return -1;
                    }
                    chunk = next;
                    pos = 0;
                }
                int n = Math.min(len, chunk.length - pos);
                System.arraycopy(chunk, pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public void close() {
                closed = true;
                chunks.clear();
            }
        };
    }

    /**
     * A {@link Frames#JOBDIR_IN} chunk from the connection's reader (an empty one ends the archive).
     *
     * @throws IOException when the client sends one that was not asked for
     */
    void received(byte[] body) throws IOException, InterruptedException {
        if (!asked) {
            throw new IOException("the client sent a job directory archive nobody asked for");
        }
        byte[] item = body.length == 0 ? END : body;
        while (!closed && !chunks.offer(item, 1, TimeUnit.SECONDS)) {
            // the job's thread reads at its pace; a closed stream drops the rest
        }
    }

    /** The client's end of the stream. */
    void gone() {
        if (!closed) {
            chunks.offer(GONE);
        }
    }
}
