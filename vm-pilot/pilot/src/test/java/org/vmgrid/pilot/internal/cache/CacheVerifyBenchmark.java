package org.vmgrid.pilot.internal.cache;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What proving a cached image costs at each use, side by side in one run: hashing its bytes again
 * (SHA-512) against checking that the file is unchanged since it was hashed (its record in
 * {@code .verified}), for images of the test appliance's size and of a larger grid image. Run with
 * {@code vm-pilot/pilot/benchmark.sh}.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CacheVerifyBenchmark {

    @Param({"10", "512"})
    int mebibytes;

    Path dir;
    Path image;
    String sha512;
    Verification verification;

    @Setup
    public void image() throws IOException {
        dir = Files.createTempDirectory("vmgrid-cache-bench");
        image = dir.resolve("image.img");
        byte[] chunk = new byte[1 << 20];
        new Random(42).nextBytes(chunk);
        try (OutputStream out = Files.newOutputStream(image)) {
            for (int i = 0; i < mebibytes; i++) {
                out.write(chunk);
            }
        }
        sha512 = Verification.sha512(image);
        verification = new Verification(dir.resolve(".verified"));
        verification.record("k", image, sha512);
    }

    @TearDown
    public void remove() throws IOException {
        Files.deleteIfExists(dir.resolve(".verified/k"));
        Files.deleteIfExists(dir.resolve(".verified"));
        Files.deleteIfExists(image);
        Files.deleteIfExists(dir);
    }

    /** Hashing the whole file again, as a cache that re-verifies on every use would. */
    @Benchmark
    public String hashAgain() throws IOException {
        return Verification.sha512(image);
    }

    /** Checking the file's record, as the cache does while the file is unchanged. */
    @Benchmark
    public boolean checkRecord() throws IOException {
        return verification.unchanged("k", image, sha512);
    }
}
