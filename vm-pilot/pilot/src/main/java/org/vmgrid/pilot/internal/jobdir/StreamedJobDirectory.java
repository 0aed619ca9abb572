package org.vmgrid.pilot.internal.jobdir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.vmgrid.pilot.JobDirectory;

/**
 * The job directory of a pilot service's client, which runs as the job's user: the archive going in
 * is the one the client packed (held to {@code jobdir.max.bytes} by {@link JobdirDisks}, like any),
 * and what the guest returned, each entry checked already ({@link JobdirDisks#takeBack}), goes back
 * to the client as a plain tar archive of directories and regular files, which the client unpacks
 * into the job directory with the same checks ({@link LocalJobDirectory}).
 */
public final class StreamedJobDirectory implements JobDirectory {

    /** Where the client's archive comes from, asked for when the guest needs it. */
    public interface Source {
        /** Asks the client for its archive; the stream ends with the archive, or fails saying why. */
        InputStream archive(long maxBytes) throws IOException;
    }

    private final Source source;
    private final OutputStream back;
    private final TarWriter tar;

    /** @param back where the archive of what the guest returned goes, to the client */
    public StreamedJobDirectory(Source source, OutputStream back) {
        this.source = source;
        this.back = back;
        this.tar = new TarWriter(back);
    }

    @Override
    public void archive(OutputStream out, long maxBytes) throws IOException {
        try (InputStream in = source.archive(maxBytes)) {
            in.transferTo(out);
        }
    }

    @Override
    public void directory(String name) throws IOException {
        tar.directory(name, 0755, 0);
    }

    @Override
    public void file(String name, long size, InputStream content) throws IOException {
        tar.file(name, 0644, 0, size, content);
    }

    @Override
    public void finish() throws IOException {
        tar.finish();
        back.flush();
    }
}
