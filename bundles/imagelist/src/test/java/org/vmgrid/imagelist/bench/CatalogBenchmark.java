package org.vmgrid.imagelist.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.imagelist.TestLists;
import org.vmgrid.imagelist.TestPki;
import org.vmgrid.imagelist.TrustedCatalog;

/**
 * What the catalogue costs: resolving an image per admitted job, and (re)loading a list of 1000
 * images, signed versus unsigned, side by side in one run. Run with {@code benchmark.sh}.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CatalogBenchmark {

    static final int IMAGES = 1000;

    Path dir;
    CatalogSources signed;
    CatalogSources unsigned;
    TrustedCatalog catalog;
    String someUuid;

    @Setup
    public void lists() throws IOException {
        Instant now = Instant.now();
        dir = Files.createTempDirectory("vmgrid-bench");
        TestLists list = TestLists.list(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)));
        for (int i = 0; i < IMAGES; i++) {
            someUuid = UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}).toString();
            list.image(someUuid, String.format("%0128x", i + 1));
        }
        TestPki.Identity ca = TestPki.ca("Bench CA", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
        TestPki.Identity endorser = TestPki.issue(ca, "Bench Endorser", now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(1)), false);
        Path anchors = Files.createDirectory(dir.resolve("anchors"));
        TestPki.writePem(anchors.resolve("ca.pem"), ca.cert());
        Path smime = Files.write(dir.resolve("list.smime"), TestPki.smimeDetached(list.bytes(), endorser));
        Path json = list.write(dir.resolve("list.json"));
        Map<String, String> aliases = Map.of("bench", someUuid);
        signed = new CatalogSources(List.of(smime), false, Optional.of(anchors), aliases);
        unsigned = new CatalogSources(List.of(json), true, Optional.empty(), aliases);
        catalog = new CatalogLoader(Clock.systemUTC()).load(signed);
        if (catalog.usableImages().size() != IMAGES) {
            throw new IllegalStateException("benchmark list not usable: " + catalog.lists());
        }
    }

    @TearDown
    public void removeLists() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public ImageResolution resolveAlias() {
        return catalog.resolve("bench");
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public ImageResolution resolveUuid() {
        return catalog.resolve(someUuid);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public TrustedCatalog loadSigned1000() {
        return new CatalogLoader(Clock.systemUTC()).load(signed);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public TrustedCatalog loadUnsigned1000() {
        return new CatalogLoader(Clock.systemUTC()).load(unsigned);
    }
}
