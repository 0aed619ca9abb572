package org.vmgrid.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.Lrms;

/** Every configuration directory under config-examples/ must load as it is shipped. */
class ConfigExamplesTest {

    static final Path EXAMPLES = Path.of(System.getProperty("vmgrid.config.examples", "../../config-examples"));

    @Test
    void everyExampleDirectoryLoads() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        assertFalse(dirs.isEmpty(), "no example configurations under " + EXAMPLES.toAbsolutePath());
        for (Path d : dirs) {
            SiteConfig c = SiteConfig.load(d);
            assertTrue(c.files().size() >= 1, d + " holds no configuration file");
        }
    }

    @Test
    void siteExampleIsASmallSlurmSite() {
        SiteConfig c = SiteConfig.load(EXAMPLES.resolve("site"));
        assertEquals(Lrms.SLURM, c.site().lrms());
        assertEquals(SiteConfig.FILE_NAMES.size(), c.files().size(), "the site example shows every file");
        for (Path list : c.images().catalogs()) {
            assertTrue(Files.isRegularFile(list), "image list named in images.properties is missing: " + list);
        }
        for (String alias : c.images().aliases().keySet()) {
            assertTrue(c.policy().imagesByVo().values().stream().anyMatch(refs -> refs.contains(alias) || refs.contains("*")));
        }
    }
}
