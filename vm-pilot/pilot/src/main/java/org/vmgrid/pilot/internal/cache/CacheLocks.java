package org.vmgrid.pilot.internal.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * takes it exclusively, without waiting, so it never removes an image in use.</li>
 * </ul>
 */
final class CacheLocks {

    private final Path dir;
    private final Map<String, ReentrantLock> fetchLocks = new ConcurrentHashMap<>();
    private final Map<String, Use> uses = new HashMap<>();

    CacheLocks(Path dir) {
        this.dir = dir;
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
        return FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
    }

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
