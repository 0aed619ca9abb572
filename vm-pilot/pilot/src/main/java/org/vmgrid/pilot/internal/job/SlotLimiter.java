package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;

/**
 * The per-host limit of VMs: one lock file per slot ({@code slots/slot-N.lock}); a job holds one
 * slot's lock for its whole life. File locks die with their process, so a crashed pilot frees its
 * slot by itself. The lock files are the pilot's alone (mode 0600 in a directory of mode 0700):
 * nobody else can hold a slot to make the host look busy.
 */
public final class SlotLimiter {

    private final Path dir;
    private final int slots;
    private final Clock clock;

    public SlotLimiter(Path dir, int slots, Clock clock) {
        this.dir = dir;
        this.slots = slots;
        this.clock = clock;
    }

    /** Takes a free slot, waiting up to {@code wait} for one; close the handle to free it. */
    public AutoCloseable acquire(String jobId, Duration wait) {
        Instant deadline = clock.instant().plus(wait);
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            while (true) {
                for (int i = 0; i < slots; i++) {
                    AutoCloseable slot = tryTake(dir.resolve("slot-" + i + ".lock"));
                    if (slot != null) {
                        return slot;
                    }
                }
                if (!clock.instant().isBefore(deadline)) {
                    throw new PilotException(FailureKind.HOST, "job " + jobId + ": all " + slots + " VM slots of "
                            + "this host stayed busy for " + wait.toSeconds() + " s; retry later or raise slots "
                            + "in pilot.properties");
                }
                Thread.sleep(200);
            }
        } catch (IOException e) {
            throw new PilotException(FailureKind.HOST, "job " + jobId + ": cannot use the slot locks in " + dir + ": "
                    + e.getMessage() + "; check that the state directory is writable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PilotException(FailureKind.CANCELLED, "job " + jobId + ": cancelled while waiting for a VM slot");
        }
    }

    private static AutoCloseable tryTake(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // another job of this process holds it
        }
        if (lock == null) {
            ch.close();
            return null;
        }
        FileLock held = lock;
        return () -> {
            try (ch) {
                held.release();
            }
        };
    }
}
