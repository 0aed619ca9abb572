package org.vmgrid.pilot.internal.jobdir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A job directory as the job's user reaches it, for guests that get it on disks instead of a shared
 * file system: whoever has that user's rights packs it and writes back what the guest returned. In
 * the pilot's own process (run as the job's user) that is {@link LocalJobDirectory}; the pilot
 * service, which is not that user, has none yet and refuses such jobs.
 */
public interface JobDirectory {

    /** Writes a tar archive of the job directory, as the guest is to find it, to {@code out}. */
    void archive(OutputStream out) throws IOException;

    /** Makes a directory the guest made; {@code name} is checked ({@link EntryName}). */
    void directory(String name) throws IOException;

    /** Writes a file the guest made or changed: exactly {@code size} bytes of {@code content}. */
    void file(String name, long size, InputStream content) throws IOException;
}
