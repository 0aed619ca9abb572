package org.vmgrid.pilot.internal.jobdir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.vmgrid.pilot.JobDirectory;

/** The job directory reached by this process itself, which runs as the job's user. */
public final class LocalJobDirectory implements JobDirectory {

    private final Path workdir;
    private final Consumer<String> notes;
    private final ReturnedFiles back;

    /** @param notes told of what is left out either way, one line each */
    public LocalJobDirectory(Path workdir, Consumer<String> notes) {
        this.workdir = workdir;
        this.notes = notes;
        this.back = new ReturnedFiles(workdir, notes);
    }

    @Override
    public void archive(OutputStream out, long maxBytes) throws IOException {
        JobdirArchive.write(workdir, out, notes);
    }

    @Override
    public void directory(String name) throws IOException {
        back.directory(name);
    }

    @Override
    public void file(String name, long size, InputStream content) throws IOException {
        back.file(name, size, content);
    }
}
