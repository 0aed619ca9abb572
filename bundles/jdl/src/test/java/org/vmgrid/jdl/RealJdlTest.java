package org.vmgrid.jdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real JDLs from gLite's and CREAM's test suites and guides: the parser reads each as gLite's own
 * JDL reader and HTCondor's ClassAd parser did (a valid ad, or a syntax error), and every attribute
 * of a valid one evaluates without throwing.
 */
class RealJdlTest {

    static List<String[]> manifest() throws IOException {
        return ClassAdConformanceTest.rows("/real-jdl/manifest.tsv", 3);
    }

    static Stream<Arguments> jdls() throws IOException {
        return manifest().stream().map(r -> Arguments.of(r[0], r[1], r[2]));
    }

    static byte[] read(String file) throws IOException {
        try (InputStream in = RealJdlTest.class.getResourceAsStream("/real-jdl/files/" + file)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("jdls")
    void readsAsGliteDid(String file, String expected, String source) throws IOException {
        byte[] bytes = read(file);
        switch (expected) {
            case "plain" -> {
                ClassAd ad = Jdl.parse(bytes);
                assertTrue(ad.size() > 0, source);
                for (ClassAd.Attribute a : ad.attributes()) {
                    Jdl.evaluate(ad, a.name());
                }
            }
            case "malformed" -> assertThrows(JdlSyntaxException.class, () -> Jdl.parse(bytes), source);
            case "lenient" -> {
                try {
                    Jdl.parse(bytes);
                } catch (JdlSyntaxException refused) {
                    assertTrue(refused.getMessage().contains("line"), refused.getMessage());
                }
            }
            default -> throw new IllegalArgumentException(file + ": expected " + expected);
        }
    }

    @Test
    void theCorpusIsWhole() throws IOException {
        List<String[]> rows = manifest();
        assertEquals(77, rows.size());
        for (String[] r : rows) {
            assertTrue(r[2] != null && r[2].matches("[\\w.-]+/[\\w.-]+@[0-9a-f]+:.+"), r[0] + " names its source");
            read(r[0]);
        }
    }
}
