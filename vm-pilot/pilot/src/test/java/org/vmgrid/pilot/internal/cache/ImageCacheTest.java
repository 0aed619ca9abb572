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
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(claimed));
        return new ImageDescriptor("00000000-0000-4000-8000-" + uuidTail, "t", "1",
                URI.create("http://images.example/" + uuidTail), claimed.length, sha,
                URI.create("file:///l.json"), Instant.parse("2030-01-01T00:00:00Z"), List.of());
    }

    private ImageDescriptor serve(String uuidTail, byte[] data) throws Exception {
        ImageDescriptor d = describe(uuidTail, data, data);
        source.content.put(d.uri(), data);
        return d;
    }

    private ImageCache cache(Path dir, long max, long millis) {
        return new ImageCache(dir, max, source, Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
    }

    @Test
    void fetchesOnceVerifiesAndKeepsTheBaseReadOnly(@TempDir Path dir) throws Exception {
        byte[] qcow = {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 3};
        ImageDescriptor img = serve("000000000001", qcow);
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
}
