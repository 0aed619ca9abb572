package org.vmgrid.pilot.internal.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.testing.ImageServer;

class ImageCacheTest {

    /** Serves images from memory and counts every open, per URI. */
    static final class CountingSource implements ImageSource {
        final Map<URI, byte[]> content = new ConcurrentHashMap<>();
        final Map<URI, AtomicInteger> opens = new ConcurrentHashMap<>();

        @Override
        public InputStream open(URI uri) {
            opens.computeIfAbsent(uri, u -> new AtomicInteger()).incrementAndGet();
            return new ByteArrayInputStream(content.get(uri));
        }

        int opens(URI uri) {
            return opens.getOrDefault(uri, new AtomicInteger()).get();
        }
    }

    private final CountingSource source = new CountingSource();

    static ImageDescriptor describe(String uuidTail, byte[] data, byte[] claimed) throws Exception {
        return describe(uuidTail, claimed, "");
    }

    static ImageDescriptor describe(String uuidTail, byte[] claimed, String format) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(claimed));
        return new ImageDescriptor("00000000-0000-4000-8000-" + uuidTail, "t", "1",
                URI.create("http://images.example/" + uuidTail), claimed.length, sha,
                URI.create("file:///l.json"), Instant.parse("2030-01-01T00:00:00Z"), List.of(), format);
    }

    private ImageDescriptor serve(String uuidTail, byte[] data) throws Exception {
        return serve(uuidTail, data, "");
    }

    private ImageDescriptor serve(String uuidTail, byte[] data, String format) throws Exception {
        ImageDescriptor d = describe(uuidTail, data, format);
        source.content.put(d.uri(), data);
        return d;
    }

    /** A qcow2 v3 header (and a little more), naming a backing file or not, with these incompatible features. */
    static byte[] qcow2(boolean backingFile, long incompatible) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(512);
        b.put(new byte[] {'Q', 'F', 'I', (byte) 0xfb}).putInt(3);
        if (backingFile) {
            b.putLong(8, 400).putInt(16, 11).position(400);
            b.put("/etc/shadow".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        b.putLong(72, incompatible);
        return b.array();
    }

    private ImageCache cache(Path dir, long max, long millis) {
        return new ImageCache(dir, max, source, Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
    }

    @Test
    void fetchesOnceVerifiesAndKeepsTheBaseReadOnly(@TempDir Path dir) throws Exception {
        byte[] qcow = qcow2(false, 1);
        ImageDescriptor img = serve("000000000001", qcow, "qcow2");
        ImageCache cache = cache(dir, 1 << 20, 1000);
        ImageLease a = cache.lease(img);
        try (a) {
            assertArrayEquals(qcow, Files.readAllBytes(a.base()));
            assertEquals("qcow2", a.format());
            assertEquals("r--r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(a.base())));
        }
        try (ImageLease b = cache.lease(img)) {
            assertEquals(a.base(), b.base());
        }
        assertEquals(1, source.opens(img.uri()));
        try (Stream<Path> partial = Files.list(dir.resolve(".partial"))) {
            assertEquals(0, partial.count(), "no temporary file left");
        }
    }

    @Test
    void eightThreadsWantingOneUncachedImageCauseOneDownload(@TempDir Path dir) throws Exception {
        ImageDescriptor img = serve("000000000002", new byte[300_000]);
        ImageCache cache = cache(dir, 1 << 30, 1000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Path>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
                go.await();
                try (ImageLease l = cache.lease(img)) {
                    return l.base();
                }
            }));
        }
        go.countDown();
        for (Future<Path> f : results) {
            assertEquals(300_000, Files.size(f.get()));
        }
        pool.shutdown();
        assertEquals(1, source.opens(img.uri()));
    }

    @Test
    void anImageWhoseChecksumDiffersIsQuarantinedAndTheJobFailsWithThatReason(@TempDir Path dir) throws Exception {
        byte[] served = "tampered".getBytes();
        ImageDescriptor img = describe("000000000003", served, "original".getBytes());
        source.content.put(img.uri(), served);
        PilotException e = assertThrows(PilotException.class, () -> cache(dir, 1 << 20, 1).lease(img));
        assertEquals(FailureKind.IMAGE, e.kind());
        assertTrue(e.getMessage().contains("SHA-512") && e.getMessage().contains("quarantined"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(ImageCache.key(img) + ".img")));
        try (Stream<Path> q = Files.list(dir.resolve("quarantine"))) {
            assertEquals(1, q.count());
        }
    }

    @Test
    void anImageOfTheWrongSizeIsQuarantined(@TempDir Path dir) throws Exception {
        ImageDescriptor img = describe("000000000004", new byte[10], new byte[10]);
        source.content.put(img.uri(), new byte[11]);
        PilotException e = assertThrows(PilotException.class, () -> cache(dir, 1 << 20, 1).lease(img));
        assertTrue(e.getMessage().contains("larger than the 10 bytes"), e.getMessage());
    }

    /**
     * Over real HTTP on loopback: a download cut halfway (the server closes the connection after half
     * of the announced body) and a truncated image (the server sends fewer bytes than the list gives)
     * each fail the job with the image's reason and leave no partial file; the next job fetches the
     * whole image.
     */
    @Test
    void aDownloadCutHalfwayOrATruncatedImageFailsTheJobLeavesNoPartialFileAndTheNextJobFetchesItWhole(@TempDir Path dir)
            throws Exception {
        byte[] whole = new byte[256 * 1024];
        new java.util.Random(7).nextBytes(whole);
        ImageDescriptor described = describe("000000000031", whole, whole);
        try (ImageServer http = ImageServer.serve(whole)) {
            ImageDescriptor img = new ImageDescriptor(described.uuid(), "t", "1", http.uri(), whole.length,
                    described.sha512(), URI.create("file:///l.json"), Instant.parse("2030-01-01T00:00:00Z"), List.of(), "");
            ImageCache cache = new ImageCache(dir, 1 << 24, new UriImageSource(), Clock.fixed(Instant.ofEpochMilli(1),
                    ZoneOffset.UTC));

            http.mode(ImageServer.Mode.CUT);
            PilotException cut = assertThrows(PilotException.class, () -> cache.lease(img));
            assertEquals(FailureKind.IMAGE, cut.kind());
            assertTrue(cut.getMessage().startsWith("image " + img.uuid() + ": cannot fetch " + http.uri() + ": "),
                    cut.getMessage());
            assertTrue(cut.getMessage().endsWith(" (after " + whole.length / 2 + " of its " + whole.length + " bytes); "
                    + "check the URI in its image list and the network"), cut.getMessage());
            assertNoImageOrPartialFile(dir, img);

            http.mode(ImageServer.Mode.TRUNCATED);
            PilotException truncated = assertThrows(PilotException.class, () -> cache.lease(img));
            assertEquals(FailureKind.IMAGE, truncated.kind());
            assertTrue(truncated.getMessage().contains("it has " + whole.length / 2 + " bytes, not"), truncated.getMessage());
            assertNoImageOrPartialFile(dir, img);

            http.mode(ImageServer.Mode.WHOLE);
            try (ImageLease lease = cache.lease(img)) {
                assertArrayEquals(whole, Files.readAllBytes(lease.base()));
            }
        }
    }

    /**
     * The cache's file system full during a download (its file takes 1,000 bytes, then ENOSPC): the
     * job fails with kind IMAGE saying the cache, not the image, is at fault and what to do; no
     * partial file stays; the image cached before is intact and still leased.
     */
    @Test
    void aCacheWhoseFileSystemFillsDuringADownloadFailsTheJobSayingSoAndKeepsWhatItHeld(@TempDir Path dir)
            throws Exception {
        ImageDescriptor earlier = serve("000000000041", new byte[] {1, 2, 3});
        ImageDescriptor larger = serve("000000000042", new byte[4096]);
        ImageCache full = new ImageCache(dir, 1 << 20, source, Clock.systemUTC(), file -> new java.io.FilterOutputStream(
                Files.newOutputStream(file)) {
            private long room = 1000;

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                if (len > room) {
                    out.write(b, off, (int) room);
                    room = 0;
                    throw new java.io.IOException("No space left on device");
                }
                out.write(b, off, len);
                room -= len;
            }
        });
        full.lease(earlier).close();

        PilotException e = assertThrows(PilotException.class, () -> full.lease(larger));
        assertEquals(FailureKind.IMAGE, e.kind());
        assertEquals("image " + larger.uuid() + ": cannot store it in the image cache " + dir.toAbsolutePath()
                + ": No space left on device (after 0 of its 4096 bytes); free space there, or set cache.max.bytes "
                + "below what its file system holds, and submit the job again", e.getMessage());
        assertNoImageOrPartialFile(dir, larger);
        try (ImageLease lease = full.lease(earlier)) {
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(lease.base()));
        }
        assertEquals(1, source.opens(earlier.uri()), "the earlier image was not fetched again");
    }

    private static void assertNoImageOrPartialFile(Path dir, ImageDescriptor img) throws Exception {
        assertFalse(Files.exists(dir.resolve(ImageCache.key(img) + ".img")));
        try (Stream<Path> partial = Files.list(dir.resolve(".partial"))) {
            assertEquals(List.of(), partial.toList());
        }
    }

    @Test
    void overTheCapTheLeastRecentlyUsedUnusedImageGoesFirst(@TempDir Path dir) throws Exception {
        ImageDescriptor a = serve("00000000000a", new byte[400]);
        ImageDescriptor b = serve("00000000000b", new byte[400]);
        ImageDescriptor c = serve("00000000000c", new byte[400]);
        cache(dir, 1000, 1000).lease(a).close();
        ImageLease held = cache(dir, 1000, 2000).lease(b);
        ImageCache later = cache(dir, 1000, 3000);
        try (ImageLease lc = later.lease(c)) {
            assertFalse(Files.exists(dir.resolve(ImageCache.key(a) + ".img")), "oldest unused image evicted");
            assertTrue(Files.exists(held.base()));
            assertTrue(Files.exists(lc.base()));
        }
        held.close();
    }

    @Test
    void anImageInUseIsNeverEvictedEvenOverTheCap(@TempDir Path dir) throws Exception {
        ImageDescriptor a = serve("00000000000d", new byte[600]);
        ImageDescriptor b = serve("00000000000e", new byte[600]);
        ImageCache cache = cache(dir, 1000, 1000);
        try (ImageLease la = cache.lease(a); ImageLease lb = cache.lease(b)) {
            assertTrue(Files.exists(la.base()) && Files.exists(lb.base()));
        }
    }

    @Test
    void aSameSizeAlteredCachedImageIsFoundQuarantinedAndFetchedAgainByTheNextJob(@TempDir Path dir) throws Exception {
        byte[] good = "the endorsed image bytes".getBytes();
        ImageDescriptor img = serve("000000000010", good);
        ImageCache cache = cache(dir, 1 << 20, 1000);
        Path base;
        try (ImageLease l = cache.lease(img)) {
            base = l.base();
        }
        // someone who could write the cache swaps in other bytes of the same size, and restores the mode
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rw-r--r--"));
        Files.write(base, "the attacker's own bytes".getBytes());
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("r--r--r--"));
        assertEquals(good.length, Files.size(base));
        PilotException e = assertThrows(PilotException.class, () -> cache.lease(img));
        assertEquals(FailureKind.IMAGE, e.kind());
        assertTrue(e.getMessage().contains("its cached copy was changed: its SHA-512 is"), e.getMessage());
        assertFalse(Files.exists(base), "the altered copy is gone from the cache");
        try (ImageLease l = cache.lease(img)) {
            assertArrayEquals(good, Files.readAllBytes(l.base()), "the next job boots the endorsed bytes again");
        }
        assertEquals(2, source.opens(img.uri()));
    }

    @Test
    void aCachedImageReplacedByALinkOrMadeWritableIsNotBooted(@TempDir Path dir) throws Exception {
        ImageDescriptor img = serve("000000000011", "bytes".getBytes());
        ImageCache cache = cache(dir, 1 << 20, 1000);
        Path base;
        try (ImageLease l = cache.lease(img)) {
            base = l.base();
        }
        Path elsewhere = Files.write(dir.resolve("elsewhere"), "bytes".getBytes());
        Files.delete(base);
        Files.createSymbolicLink(base, elsewhere);
        PilotException e = assertThrows(PilotException.class, () -> cache.lease(img));
        assertTrue(e.getMessage().contains("no longer a read-only file"), e.getMessage());
        try (ImageLease l = cache.lease(img)) {
            Files.setPosixFilePermissions(l.base(), PosixFilePermissions.fromString("rw-r--r--"));
        }
        e = assertThrows(PilotException.class, () -> cache.lease(img));
        assertTrue(e.getMessage().contains("no longer a read-only file"), e.getMessage());
    }

    @Test
    void anUnchangedCachedImageIsNotHashedAgainButAnyChangeToItIs(@TempDir Path dir) throws Exception {
        ImageDescriptor img = serve("000000000012", "bytes".getBytes());
        Path base;
        try (ImageLease l = cache(dir, 1 << 20, 1000).lease(img)) {
            base = l.base();
        }
        Verification v = new Verification(dir.resolve(".verified"));
        String key = ImageCache.key(img);
        assertTrue(v.unchanged(key, base, img.sha512()));
        Files.setLastModifiedTime(base, java.nio.file.attribute.FileTime.fromMillis(0));
        assertFalse(v.unchanged(key, base, img.sha512()), "a new modification (and change) time");
        try (ImageLease l = cache(dir, 1 << 20, 2000).lease(img)) {
            assertTrue(v.unchanged(key, l.base(), img.sha512()), "hashed again and recorded");
        }
    }

    @Test
    void aQcow2NamingABackingFileIsRefusedAtFetch(@TempDir Path dir) throws Exception {
        ImageDescriptor img = serve("000000000013", qcow2(true, 0), "qcow2");
        PilotException e = assertThrows(PilotException.class, () -> cache(dir, 1 << 20, 1).lease(img));
        assertEquals(FailureKind.IMAGE, e.kind());
        assertTrue(e.getMessage().contains("its qcow2 header names a backing file"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(ImageCache.key(img) + ".img")));
    }

    @Test
    void aQcow2WithAnExternalDataFileOrUnknownIncompatibleFeaturesIsRefused(@TempDir Path dir) throws Exception {
        PilotException e = assertThrows(PilotException.class,
                () -> cache(dir, 1 << 20, 1).lease(serve("000000000014", qcow2(false, 1 << 2), "qcow2")));
        assertTrue(e.getMessage().contains("external data file"), e.getMessage());
        e = assertThrows(PilotException.class,
                () -> cache(dir, 1 << 20, 1).lease(serve("000000000015", qcow2(false, 1 << 9), "qcow2")));
        assertTrue(e.getMessage().contains("incompatible features 0x200"), e.getMessage());
    }

    @Test
    void anImageWhoseHeaderIsNotTheFormatItsListGivesIsRefused(@TempDir Path dir) throws Exception {
        PilotException e = assertThrows(PilotException.class,
                () -> cache(dir, 1 << 20, 1).lease(serve("000000000016", qcow2(false, 0), "raw")));
        assertTrue(e.getMessage().contains("its image list says it is raw but its header says qcow2"), e.getMessage());
        e = assertThrows(PilotException.class,
                () -> cache(dir, 1 << 20, 1).lease(serve("000000000017", new byte[512], "qcow2")));
        assertTrue(e.getMessage().contains("says it is qcow2 but its header says raw"), e.getMessage());
        e = assertThrows(PilotException.class,
                () -> cache(dir, 1 << 20, 1).lease(serve("000000000018", new byte[512], "vmdk")));
        assertTrue(e.getMessage().contains("the pilot boots qcow2 and raw images"), e.getMessage());
        try (ImageLease l = cache(dir, 1 << 20, 1).lease(serve("000000000019", new byte[512], "raw"))) {
            assertEquals("raw", l.format());
        }
    }

    @Test
    void aCacheOthersMayWriteIsRefusedAndItsLocksAndQuarantineAreThePilotsAlone(@TempDir Path dir) throws Exception {
        ImageDescriptor img = serve("00000000001a", "bytes".getBytes());
        Path cacheDir = Files.createDirectories(dir.resolve("cache"));
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxrwxr-x"));
        PilotException e = assertThrows(PilotException.class, () -> cache(cacheDir, 1 << 20, 1).lease(img));
        assertTrue(e.getMessage().contains("must belong to the pilot's user") && e.getMessage().contains("mode 775"),
                e.getMessage());
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        cache(cacheDir, 1 << 20, 1).lease(img).close();
        ImageDescriptor bad = describe("00000000001b", "evil".getBytes(), "good".getBytes());
        source.content.put(bad.uri(), "evil".getBytes());
        assertThrows(PilotException.class, () -> cache(cacheDir, 1 << 20, 1).lease(bad));
        for (String d : List.of(".locks", ".partial", ".verified", "quarantine")) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDir.resolve(d))), d);
        }
        try (Stream<Path> locks = Files.list(cacheDir.resolve(".locks"));
                Stream<Path> q = Files.list(cacheDir.resolve("quarantine"))) {
            for (Path f : locks.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
            for (Path f : q.toList()) {
                assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
    }
}
