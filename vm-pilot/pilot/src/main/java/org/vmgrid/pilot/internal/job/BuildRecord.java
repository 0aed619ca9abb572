package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The mark of a directory in {@code state.dir} where a golden snapshot is being made
 * ({@code build.pid}, 0600: the PID of the pilot making it). It is no job's: a starting pilot
 * removes it when that pilot is gone, and writes no accounting record for it (see {@link Reaper}).
 */
public final class BuildRecord {

    static final String FILE = "build.pid";

    private BuildRecord() {
    }

    /** Marks {@code dir} as a golden's build by pilot {@code pilotPid}. */
    public static void writeTo(Path dir, long pilotPid) throws IOException {
        Path file = dir.resolve(FILE);
        Files.writeString(file, pilotPid + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** The PID of the pilot making a golden in {@code dir}; empty when it is no build (or unreadable). */
    static Optional<Long> pilotPidIn(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
