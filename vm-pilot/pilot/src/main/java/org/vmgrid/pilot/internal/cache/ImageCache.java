package org.vmgrid.pilot.internal.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.PilotException;

/**
 * The worker node's cache of verified base images, which the pilot's user alone may write. An image
 * is fetched once (one download however many threads or processes want it), written under a
 * temporary name, checked against the size and SHA-512 its trusted image list gives and against the
 * format the list and its own header give (a qcow2 naming a backing or external data file is
 * refused), made read-only and renamed into place. Before each use the cached file is checked to be
 * the one whose bytes were hashed ({@link Verification}); one that may have changed is hashed again.
 * An image that fails a check is moved to {@code quarantine/} (the pilot's alone) and the job fails
 * with that reason. A download the cache's file system cannot hold (it is full) fails the job saying
 * so, as a fault of the cache and not of the image, and leaves nothing of it. When the cache grows
 * past its cap, unused images are evicted least recently used first.
 */
public final class ImageCache {

    private final Path dir;
    private final long maxBytes;
    private final ImageSource source;
    private final Clock clock;
    private final CacheLocks locks;
    private final CacheEviction eviction;
    private final Verification verification;
    private final int owner;
    private final PartialFiles partialFiles;

    /** How a download's file is made in {@code .partial/}: our small seam over the file system. */
    @FunctionalInterface
    interface PartialFiles {
        OutputStream create(Path file) throws IOException;
    }

    public ImageCache(Path dir, long maxBytes, ImageSource source, Clock clock) {
        this(dir, maxBytes, source, clock, f -> Files.newOutputStream(f, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE));
    }

    ImageCache(Path dir, long maxBytes, ImageSource source, Clock clock, PartialFiles partialFiles) {
        this.partialFiles = partialFiles;
        this.dir = dir.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        this.source = source;
        this.clock = clock;
        this.locks = new CacheLocks(this.dir.resolve(".locks"), clock);
        this.verification = new Verification(this.dir.resolve(".verified"));
        this.eviction = new CacheEviction(this.dir, locks, verification);
        this.owner = JobUser.current().uid();
    }

    /** The verified image, fetched if need be; keep the lease open while a VM uses it. */
    public ImageLease lease(ImageDescriptor image) {
        String key = key(image);
        Path base = dir.resolve(key + ".img");
        AutoCloseable use = null;
        try {
            ownDirectories();
            use = locks.use(key);
            try (AutoCloseable fetch = locks.fetch(key)) {
                if (Files.exists(base, LinkOption.NOFOLLOW_LINKS)) {
                    checkCached(image, key, base);
                } else {
                    fetch(image, key, base);
                }
            }
            locks.used(key);
            eviction.evictOver(maxBytes);
            return new ImageLease(base, ImageFormat.of(base), use);
        } catch (Exception e) {
            close(use);
            if (e instanceof PilotException p) {
                throw p;
            }
            throw new PilotException(FailureKind.IMAGE, "image " + image.uuid() + ": cannot use the cache "
                    + dir + ": " + e.getMessage() + "; check that it exists and is writable by the pilot", e);
        }
    }

    /** The cache file's name: the image and the first bytes of its checksum (a changed image is another). */
    static String key(ImageDescriptor image) {
        return image.uuid() + "-" + image.sha512().substring(0, 16);
    }

    /**
     * The cache and its working directories are the pilot's user's, and nobody else may write them
     * (the cache) or open anything in them (locks, partial downloads, records, quarantine).
     */
    private void ownDirectories() throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> a = Files.readAttributes(dir, "unix:uid,mode");
        int mode = (Integer) a.get("mode");
        if ((Integer) a.get("uid") != owner || (mode & 0022) != 0) {
            throw new PilotException(FailureKind.IMAGE, "the image cache " + dir + " (owner uid " + a.get("uid")
                    + ", mode " + Integer.toOctalString(mode & 07777) + ") must belong to the pilot's user (uid " + owner
                    + ") and be writable by it alone, so that no one else can change what VMs boot; chown it and "
                    + "chmod 0755 it");
        }
        for (String d : new String[] {".locks", ".partial", ".verified", "quarantine"}) {
            Path p = Files.createDirectories(dir.resolve(d));
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * A cached file is used only while it is a plain read-only file of the pilot's user whose bytes
     * were hashed as they are; otherwise it is hashed again, and quarantined if its bytes changed.
     */
    private void checkCached(ImageDescriptor image, String key, Path base) throws IOException {
        Map<String, Object> a = Files.readAttributes(base, "unix:uid,mode,size,isRegularFile", LinkOption.NOFOLLOW_LINKS);
        if (!(Boolean) a.get("isRegularFile") || (Integer) a.get("uid") != owner
                || ((Integer) a.get("mode") & 0222) != 0 || (Long) a.get("size") != image.size()) {
            quarantine(image, key, base, "its cached copy was changed (it is no longer a read-only file of "
                    + image.size() + " bytes owned by the pilot); the next job fetches it again");
        }
        if (verification.unchanged(key, base, image.sha512())) {
            return;
        }
        String got = Verification.sha512(base);
        if (!got.equals(image.sha512())) {
            quarantine(image, key, base, "its cached copy was changed: its SHA-512 is " + got.substring(0, 16)
                    + "..., not the " + image.sha512().substring(0, 16) + "... its image list gives; the next job "
                    + "fetches it again");
        }
        verification.record(key, base, got);
    }

    private void fetch(ImageDescriptor image, String key, Path base) throws IOException {
        Path tmp = dir.resolve(".partial").resolve(key + "." + UUID.randomUUID());
        MessageDigest sha = Verification.newSha512();
        long n = 0;
        try {
            try (InputStream in = source.open(image.uri()); OutputStream out = new CacheStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                for (int r; (r = in.read(buf)) >= 0 && n <= image.size(); ) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new PilotException(FailureKind.CANCELLED, "image " + image.uuid()
                                + ": download cancelled");
                    }
                    out.write(buf, 0, r);
                    sha.update(buf, 0, r);
                    n += r;
                }
            } catch (CacheWriteException e) {
                throw new PilotException(FailureKind.IMAGE, "image " + image.uuid() + ": cannot store it in the image "
                        + "cache " + dir + ": " + e.getMessage() + " (after " + n + " of its " + image.size()
                        + " bytes); free space there, or set cache.max.bytes below what its file system holds, and "
                        + "submit the job again", e);
            } catch (IOException e) {
                throw new PilotException(FailureKind.IMAGE, "image " + image.uuid() + ": cannot fetch "
                        + image.uri() + ": " + e.getMessage() + " (after " + n + " of its " + image.size()
                        + " bytes); check the URI in its image list and the network", e);
            }
            if (n != image.size()) {
                quarantine(image, key, tmp, (n > image.size() ? "it is larger than" : "it has " + n + " bytes, not")
                        + " the " + image.size() + " bytes its image list gives; tell the image's endorser or fix "
                        + "its server");
            }
            String got = HexFormat.of().formatHex(sha.digest());
            if (!got.equals(image.sha512())) {
                quarantine(image, key, tmp, "its SHA-512 is " + got.substring(0, 16) + "..., not the "
                        + image.sha512().substring(0, 16) + "... its image list gives; tell the image's endorser "
                        + "or fix its server");
            }
            Optional<String> refused = ImageFormat.refusal(tmp, image.format());
            if (refused.isPresent()) {
                quarantine(image, key, tmp, refused.get() + "; tell the image's endorser");
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
            Files.move(tmp, base, StandardCopyOption.ATOMIC_MOVE);
            verification.record(key, base, got);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** An error of the cache's file system, told apart from one of the image's source. */
    private static final class CacheWriteException extends IOException {
        CacheWriteException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The download's file; what fails in it fails as the cache's ({@link CacheWriteException}). */
    private final class CacheStream extends OutputStream {
        private final OutputStream out;

        CacheStream(Path file) throws CacheWriteException {
            try {
                this.out = partialFiles.create(file);
            } catch (IOException e) {
                throw new CacheWriteException(e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw new CacheWriteException(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw new CacheWriteException(e);
            }
        }
    }

    private void quarantine(ImageDescriptor image, String key, Path file, String why) throws IOException {
        Path dest = dir.resolve("quarantine").resolve(key + "." + clock.millis() + "."
                + UUID.randomUUID().toString().substring(0, 8));
        Files.move(file, dest, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("r--------"));
        } catch (IOException e) {
            // not the pilot's file (someone changed it): the quarantine directory is the pilot's alone anyway
        }
        verification.forget(key);
        throw new PilotException(FailureKind.IMAGE, "image " + image.uuid() + " from " + image.uri() + " is not "
                + "usable: " + why + "; quarantined as " + dest);
    }

    private static void close(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // released with the process at the latest
            }
        }
    }
}
