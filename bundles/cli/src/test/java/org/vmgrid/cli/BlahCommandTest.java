package org.vmgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmgrid blah install-hooks}: the site's socket and this installation's helper written into BLAH's libexec. */
class BlahCommandTest {

    static final Path HOOKS = Path.of("../../ce-plugin/blah").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    private String home;

    @BeforeEach
    void distribution() throws IOException {
        Path blah = Files.createDirectories(dir.resolve("vmgrid/blah"));
        Files.copy(HOOKS.resolve("local_submit_attributes.sh"), blah.resolve("local_submit_attributes.sh"));
        Files.writeString(blah.resolve("vmgrid-hook-client"), "stand-in for the helper\n");
        Files.setPosixFilePermissions(blah.resolve("vmgrid-hook-client"), PosixFilePermissions.fromString("rwxr-xr-x"));
        home = System.getProperty("vmgrid.home");
        System.setProperty("vmgrid.home", dir.resolve("vmgrid").toString());
    }

    @AfterEach
    void restore() {
        if (home == null) {
            System.clearProperty("vmgrid.home");
        } else {
            System.setProperty("vmgrid.home", home);
        }
    }

    private Path site(String siteProperties) throws IOException {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("site.properties"), siteProperties);
        return site;
    }

    @Test
    void theSitesHookIsInstalledWithItsSocketAndThisInstallationsHelper() throws IOException {
        Path libexec = Files.createDirectories(dir.resolve("libexec"));
        Path site = site("lrms = pbs\nblah.hook.socket = /run/site/hook.sock\n");
        MainTest.Result r = MainTest.run("blah", "install-hooks", "--libexec", libexec.toString(), "--config-dir", site.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String hook = Files.readString(libexec.resolve("pbs_local_submit_attributes.sh"));
        assertTrue(hook.contains("\nvmgrid_socket=/run/site/hook.sock\n"), hook);
        assertTrue(hook.contains("\nvmgrid_client=" + dir.resolve("vmgrid/blah/vmgrid-hook-client") + "\n"), hook);
        assertTrue(hook.contains("\nvmgrid_lrms=pbs\n"), hook);
        assertEquals(1, Files.list(libexec).count());
        assertEquals(ExitCodes.OK, MainTest.run("blah", "install-hooks", "--libexec", libexec.toString(), "--config-dir",
                site.toString(), "--lrms", "all").code());
        assertEquals(5, Files.list(libexec).count());
    }

    @Test
    void withoutASocketInTheSiteConfigurationNothingIsInstalled() throws IOException {
        Path libexec = Files.createDirectories(dir.resolve("libexec"));
        MainTest.Result r = MainTest.run("blah", "install-hooks", "--libexec", libexec.toString(), "--config-dir",
                site("lrms = slurm\n").toString());
        assertEquals(ExitCodes.CONFIG, r.code());
        assertTrue(r.err().contains("names no blah.hook.socket"), r.err());
        assertEquals(0, Files.list(libexec).count());
        MainTest.Result bad = MainTest.run("blah", "install-hooks", "--libexec", libexec.toString(), "--config-dir",
                site("blah.hook.socket = /run/a b.sock\n").toString());
        assertEquals(ExitCodes.CONFIG, bad.code());
        assertTrue(bad.err().contains("blah.hook.socket = '/run/a b.sock' is not allowed"), bad.err());
        assertEquals(ExitCodes.USAGE, MainTest.run("blah", "install-hooks", "--libexec", dir.resolve("none").toString(),
                "--config-dir", site("blah.hook.socket = /run/h.sock\n").toString()).code());
    }
}
