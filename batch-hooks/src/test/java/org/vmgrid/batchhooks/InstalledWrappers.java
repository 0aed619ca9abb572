package org.vmgrid.batchhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The shipped worker-node wrappers ({@code src/main/sh}) installed as docs/install-batch.md says:
 * the directory as it is, root's and read-only to others, each entry script's launcher and
 * pilot-service socket changed to this node's.
 */
public final class InstalledWrappers {

    /** The shipped entry scripts' launcher and socket, which a site changes where its own differ. */
    public static final String DEFAULT_LAUNCHER = "/usr/bin/vmgrid";
    public static final String DEFAULT_SOCKET = "/run/vmgrid/pilot.sock";

    private InstalledWrappers() {
    }

    /** The shipped directory. */
    public static Path shipped() {
        return Path.of(System.getProperty("vmgrid.batch.wrappers"));
    }

    /**
     * Installs every shipped file into {@code dir} (created, mode 0755), the entry scripts with
     * {@code launcher} and {@code socket} in place of the defaults; answers {@code dir}.
     */
    public static Path install(Path dir, Path launcher, Path socket) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (var files = Files.list(shipped())) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                if (!f.getFileName().toString().equals("vmgrid-job-wrapper")) {
                    assertEquals(1, text.split(DEFAULT_LAUNCHER, -1).length - 1, f + " names the launcher once");
                    assertEquals(1, text.split(DEFAULT_SOCKET, -1).length - 1, f + " names the socket once");
                    text = text.replace(DEFAULT_LAUNCHER, launcher.toString()).replace(DEFAULT_SOCKET, socket.toString());
                }
                Path to = dir.resolve(f.getFileName());
                Files.writeString(to, text);
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return dir;
    }
}
