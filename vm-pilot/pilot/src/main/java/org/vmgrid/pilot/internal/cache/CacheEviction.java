package org.vmgrid.pilot.internal.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removes unused cached images, least recently used first, until the cache is within its cap. */
final class CacheEviction {

    private final Path dir;
    private final CacheLocks locks;

    CacheEviction(Path dir, CacheLocks locks) {
        this.dir = dir;
        this.locks = locks;
    }

    void evictOver(long maxBytes) throws IOException {
        List<Path> images = new ArrayList<>();
        long total = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".img")).toList()) {
                images.add(p);
                total += Files.size(p);
            }
        }
        images.sort(Comparator.comparing(CacheEviction::lastUsed));
        for (Path p : images) {
            if (total <= maxBytes) {
                return;
            }
            String name = p.getFileName().toString();
            long size = Files.size(p);
            if (locks.ifUnused(name.substring(0, name.length() - ".img".length()), () -> Files.deleteIfExists(p))) {
                total -= size;
            }
        }
    }

    private static long lastUsed(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }
}
