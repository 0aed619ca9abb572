package org.vmgrid.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden-file comparison; on a difference the actual output is left in target/golden-actual for review. */
public final class Golden {

    private Golden() {
    }

    /** Compares with {@code src/test/resources/golden/<name>} of the calling module (the working directory). */
    public static void assertMatches(String name, String actual) throws IOException {
        Path golden = Path.of("src/test/resources/golden", name);
        String expected = Files.exists(golden) ? Files.readString(golden, StandardCharsets.UTF_8) : "";
        if (!expected.equals(actual)) {
            Path out = Path.of("target/golden-actual", name);
            Files.createDirectories(out.getParent());
            Files.writeString(out, actual, StandardCharsets.UTF_8);
        }
        assertEquals(expected, actual, "golden file " + golden + " differs; actual output in target/golden-actual/" + name);
    }
}
