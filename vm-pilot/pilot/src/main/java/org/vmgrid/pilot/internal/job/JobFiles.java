package org.vmgrid.pilot.internal.job;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one job's files live on the host: its own directory under the pilot's state directory
 * (overlay, context images, output channels, console log), and the user's job directory.
 */
public record JobFiles(Path dir, Path workdir) {

    public JobFiles {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(workdir, "workdir");
    }

    public Path overlay() {
        return dir.resolve("overlay.qcow2");
    }

    public Path contextIso() {
        return dir.resolve("context.iso");
    }

    public Path cidataIso() {
        return dir.resolve("cidata.iso");
    }

    public Path stdout() {
        return dir.resolve("stdout");
    }

    public Path stderr() {
        return dir.resolve("stderr");
    }

    public Path status() {
        return dir.resolve("status");
    }

    /** The job directory's archive for a guest that takes it from a disk. */
    public Path jobdirIn() {
        return dir.resolve("jobdir-in.tar");
    }

    /** The disk such a guest returns the job directory's archive on. */
    public Path jobdirOut() {
        return dir.resolve("jobdir-out.tar");
    }

    public Path console() {
        return dir.resolve("console.log");
    }
}
