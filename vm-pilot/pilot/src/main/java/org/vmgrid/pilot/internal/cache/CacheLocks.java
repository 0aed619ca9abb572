package org.vmgrid.pilot.internal.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Set;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cache's locks, across threads AND processes. A JVM may hold only one OS lock per file, so
 * each lock is an in-JVM lock (threads) in front of a {@link FileLock} (processes).
 * <ul>
 * <li>fetch lock ({@code <key>.fetch}, exclusive): one download of an image at a time;</li>
 * <li>use lock ({@code <key>.use}, shared while any job of any process uses the image): eviction
 * takes it exclusively, without waiting, so it never removes an image in use. Its modification time
 * is when the image was last used (the image's own times stay as they were when it was hashed).</li>
 * </ul>
 * The lock files are the pilot's alone (mode 0600 in a directory of mode 0700): nobody else can
 * hold a lock to stall a download or keep an image from eviction.
 */
final class CacheLocks {

    private final Path dir;
    private final Clock clock;
    private final Map<String, ReentrantLock> fetchLocks = new ConcurrentHashMap<>();
    private final Map<String, Use> uses = new HashMap<>();

    CacheLocks(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    /** Notes that {@code key} was used now. */
    void used(String key) throws IOException {
        Files.setLastModifiedTime(dir.resolve(key + ".use"), FileTime.from(clock.instant()));
    }

    /** When {@code key} was last used; the earliest possible time when never. */
    long lastUsed(String key) {
        try {
            return Files.getLastModifiedTime(dir.resolve(key + ".use")).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Blocks until this thread alone, in all processes, may fetch {@code key}. */
    AutoCloseable fetch(String key) throws IOException {
        ReentrantLock local = fetchLocks.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        try {
            FileChannel ch = open(key + ".fetch");
            FileLock lock = ch.lock();
            return () -> {
                try (ch) {
                    lock.release();
                } finally {
                    local.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /** Marks {@code key} as in use until the returned handle is closed. */
    synchronized AutoCloseable use(String key) throws IOException {
        Use u = uses.get(key);
        if (u == null) {
            FileChannel ch = open(key + ".use");
            u = new Use(ch, ch.lock(0, Long.MAX_VALUE, true));
            uses.put(key, u);
        }
        u.count++;
        return () -> release(key);
    }

    /**
     * Runs {@code action} if no job of any process uses {@code key}, holding its use lock
     * exclusively meanwhile; returns whether it ran.
     */
    synchronized boolean ifUnused(String key, IoAction action) throws IOException {
        if (uses.containsKey(key)) {
            return false;
        }
        try (FileChannel ch = open(key + ".use")) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return false;
            }
            if (lock == null) {
                return false;
            }
            try {
                action.run();
                return true;
            } finally {
                lock.release();
            }
        }
    }

    private synchronized void release(String key) throws IOException {
        Use u = uses.get(key);
        if (u != null && --u.count == 0) {
            uses.remove(key);
            try (FileChannel ch = u.channel) {
                u.lock.release();
            }
        }
    }

    private FileChannel open(String name) throws IOException {
        Files.createDirectories(dir);
        return FileChannel.open(dir.resolve(name), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY);
    }

    /** Lock files are created mode 0600. */
    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));

    /** An action that may fail with an I/O error. */
    interface IoAction {
        void run() throws IOException;
    }

    private static final class Use {
        final FileChannel channel;
        final FileLock lock;
        int count;

        Use(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }
    }
}
