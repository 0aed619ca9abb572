package org.vmgrid.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccountsSectionTest {

    @TempDir
    Path dir;

    @Test
    void withoutTheFileNoAccountIsAnyVos() {
        assertEquals(Map.of(), SiteConfig.load(dir).accounts().voByGroup());
    }

    @Test
    void eachGroupNamesTheVoWhosePoolAccountsShareIt() throws IOException {
        Files.writeString(dir.resolve("accounts.properties"), "group.dteam = dteam\ngroup.atlasprd = atlas\n"
                + "group.atlas_sgm = atlas\n");
        assertEquals(Map.of("dteam", "dteam", "atlasprd", "atlas", "atlas_sgm", "atlas"),
                SiteConfig.load(dir).accounts().voByGroup());
    }

    @ParameterizedTest
    @ValueSource(strings = {"group.Dteam = dteam", "group.9lives = dteam", "group. = dteam", "group.a b = dteam",
        "group.dteam = dt eam", "group.dteam = ", "group.dteam = /dteam/Role=pilot", "groups.dteam = dteam",
        "group.dteam001dteam001dteam001dteam001x = dteam"})
    void aBadLineFailsTheLoadWithFileLineAndKey(String line) throws IOException {
        Files.writeString(dir.resolve("accounts.properties"), "# the site's pool accounts\n" + line + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains("accounts.properties:2"), e.getMessage());
        assertTrue(e.getMessage().contains(line.substring(0, line.indexOf(' '))), e.getMessage());
    }
}
