package org.vmgrid.pilot.internal.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;

/**
 * The worker node's cache of verified base images. An image is fetched once (one download however
 * many threads or processes want it), written under a temporary name, checked against the size
 * and SHA-512 its trusted image list gives, made read-only and renamed into place. An image that
 * fails the check is moved to {@code quarantine/} and the job fails with that reason. When the
 * cache grows past its cap, unused images are evicted least recently used first.
 */
public final class ImageCache {

    private final Path dir;
    private final long maxBytes;
    private final ImageSource source;
    private final Clock clock;
    private final CacheLocks locks;
    private final CacheEviction eviction;

    public ImageCache(Path dir, long maxBytes, ImageSource source, Clock clock) {
        this.dir = dir.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        this.source = source;
        this.clock = clock;
        this.locks = new CacheLocks(this.dir.resolve(".locks"));
        this.eviction = new CacheEviction(this.dir, locks);
    }

    /** The verified image, fetched if need be; keep the lease open while a VM uses it. */
    public ImageLease lease(ImageDescriptor image) {
        String key = key(image);
        Path base = dir.resolve(key + ".img");
        AutoCloseable use = null;
        try {
            use = locks.use(key);
            try (AutoCloseable fetch = locks.fetch(key)) {
                if (Files.exists(base) && Files.size(base) != image.size()) {
                    quarantine(image, base, "its size changed in the cache to " + Files.size(base) + " bytes");
                }
                if (!Files.exists(base)) {
                    fetch(image, base);
                }
            }
            Files.setLastModifiedTime(base, FileTime.from(clock.instant()));
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

    private void fetch(ImageDescriptor image, Path base) throws IOException {
        Path partial = dir.resolve(".partial");
        Files.createDirectories(partial);
        Path tmp = partial.resolve(key(image) + "." + UUID.randomUUID());
        MessageDigest sha = sha512();
        long n = 0;
        try {
            try (InputStream in = source.open(image.uri()); OutputStream out = Files.newOutputStream(tmp)) {
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
            } catch (IOException e) {
                throw new PilotException(FailureKind.IMAGE, "image " + image.uuid() + ": cannot fetch "
                        + image.uri() + ": " + e.getMessage() + "; check the URI in its image list and the network", e);
            }
            if (n != image.size()) {
                quarantine(image, tmp, (n > image.size() ? "it is larger than" : "it has " + n + " bytes, not")
                        + " the " + image.size() + " bytes its image list gives");
            }
            String got = HexFormat.of().formatHex(sha.digest());
            if (!got.equals(image.sha512())) {
                quarantine(image, tmp, "its SHA-512 is " + got.substring(0, 16) + "..., not the "
                        + image.sha512().substring(0, 16) + "... its image list gives");
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
            Files.move(tmp, base, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void quarantine(ImageDescriptor image, Path file, String why) throws IOException {
        Path q = dir.resolve("quarantine");
        Files.createDirectories(q);
        Path dest = q.resolve(key(image) + "." + clock.millis() + "." + UUID.randomUUID().toString().substring(0, 8));
        Files.move(file, dest, StandardCopyOption.ATOMIC_MOVE);
        throw new PilotException(FailureKind.IMAGE, "image " + image.uuid() + " from " + image.uri() + " is corrupt: "
                + why + "; quarantined as " + dest + "; tell the image's endorser or fix its server");
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-512", e);
        }
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
