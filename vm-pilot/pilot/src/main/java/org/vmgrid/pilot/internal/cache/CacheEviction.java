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
    private final Verification verification;

    CacheEviction(Path dir, CacheLocks locks, Verification verification) {
        this.dir = dir;
        this.locks = locks;
        this.verification = verification;
    }

    void evictOver(long maxBytes) throws IOException {
        List<String> keys = new ArrayList<>();
        long total = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".img")).toList()) {
                String name = p.getFileName().toString();
                keys.add(name.substring(0, name.length() - ".img".length()));
                total += Files.size(p);
            }
        }
        keys.sort(Comparator.comparingLong(locks::lastUsed));
        for (String key : keys) {
            if (total <= maxBytes) {
                return;
            }
            Path p = dir.resolve(key + ".img");
            long size = Files.size(p);
            if (locks.ifUnused(key, () -> {
                Files.deleteIfExists(p);
                verification.forget(key);
            })) {
                total -= size;
            }
        }
    }
}
