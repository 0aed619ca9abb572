package org.vmgrid.pilot.internal.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cache's record of what it has hashed: per image, the SHA-512 its bytes had and the file's
 * identity and change times at that moment ({@code .verified/<key>}, the pilot's alone). Any write,
 * truncation, replacement, owner or mode change of the file changes its inode change time (which
 * only the kernel sets), so a file whose record still matches has the bytes that were hashed; any
 * other file is hashed again before it is booted.
 */
final class Verification {

    private final Path dir;

    Verification(Path dir) {
        this.dir = dir;
    }

    /** The file's identity: device, inode, size, owner, mode, modification and change times. */
    static String fingerprint(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,size,uid,mode,lastModifiedTime,ctime",
                LinkOption.NOFOLLOW_LINKS);
        return a.get("dev") + " " + a.get("ino") + " " + a.get("size") + " " + a.get("uid") + " "
                + Integer.toOctalString((Integer) a.get("mode")) + " " + nanos(a.get("lastModifiedTime")) + " "
                + nanos(a.get("ctime"));
    }

    private static long nanos(Object t) {
        return ((FileTime) t).to(TimeUnit.NANOSECONDS);
    }

    /** Whether {@code file} is, unchanged, the file whose bytes were hashed to {@code sha512}. */
    boolean unchanged(String key, Path file, String sha512) throws IOException {
        Path record = dir.resolve(key);
        if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return Files.readString(record, StandardCharsets.US_ASCII).equals(sha512 + " " + fingerprint(file) + "\n");
    }

    /** Records that {@code file}, as it is now, has the bytes hashed to {@code sha512}. */
    void record(String key, Path file, String sha512) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(key + ".tmp");
        Files.writeString(tmp, sha512 + " " + fingerprint(file) + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void forget(String key) throws IOException {
        Files.deleteIfExists(dir.resolve(key));
    }

    /** The SHA-512 of a file's bytes, as hex; {@code Thread.interrupt()} stops it. */
    static String sha512(Path file) throws IOException {
        MessageDigest sha = newSha512();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) >= 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest newSha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-512", e);
        }
    }
}
