package org.vmgrid.pilot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A job directory as the job's user reaches it, for guests that get it on disks instead of a shared
 * file system: whoever has that user's rights packs it and writes back what the guest returned. In
 * a pilot run by the job itself that is the pilot's own process; for the pilot service, which is not
 * that user, it is its client ({@code vmgrid pilot run --service}, run as the job's user), reached
 * over the service's socket. What is written back has been checked entry by entry already.
 */
public interface JobDirectory {

    /**
     * Writes a tar archive of the job directory, as the guest is to find it, to {@code out}, which
     * refuses more than {@code maxBytes} (the site's {@code jobdir.max.bytes}).
     */
    void archive(OutputStream out, long maxBytes) throws IOException;

    /** Makes a directory the guest made; {@code name} is a checked relative name. */
    void directory(String name) throws IOException;

    /** Writes a file the guest made or changed: exactly {@code size} bytes of {@code content}. */
    void file(String name, long size, InputStream content) throws IOException;

    /** Called once after the last entry written back. */
    default void finish() throws IOException {
    }
}
