package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * A small tmpfs the test mounts (as root) over a directory, to fill a file system without filling
 * the machine's: of a given size, owner and mode. {@link #close()} unmounts it.
 */
public final class Tmpfs implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /**
     * Mounts a tmpfs of {@code bytes} over {@code dir} (created if need be), its root of
     * {@code mode} (octal, e.g. {@code "0755"}) and root's until the caller gives it away.
     */
    public static Tmpfs mount(Path dir, long bytes, String mode) throws IOException {
        Files.createDirectories(dir);
        new ProcessCommandRunner().runChecked(Command.of(TIMEOUT, "mount", "-t", "tmpfs", "-o", "size=" + bytes
                + ",mode=" + mode + ",nosuid,nodev", "vmgrid-test-small", dir.toString()));
        return new Tmpfs(dir);
    }

    public Path dir() {
        return dir;
    }

    /** The bytes still free on it. */
    public long free() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    @Override
    public void close() throws IOException {
        new ProcessCommandRunner().runChecked(Command.of(TIMEOUT, "umount", dir.toString()));
    }
}
