package org.vmgrid.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GlueLdifGoldenTest {

    @Test
    void glue13MatchesTheGoldenFile() throws Exception {
        String out = new LdifWriter().write(new GlueLdif().glue13(GlueFixtures.glue13Ce(), GlueFixtures.glue13SubCluster()));
        assertEquals(Files.readString(Path.of("src/test/resources/golden/glue13.ldif"), StandardCharsets.UTF_8), out);
    }

    @Test
    void glue2MatchesTheGoldenFile() throws Exception {
        String out = new LdifWriter().write(new GlueLdif().glue2(GlueFixtures.glue2()));
        assertEquals(Files.readString(Path.of("src/test/resources/golden/glue2.ldif"), StandardCharsets.UTF_8), out);
    }
}
