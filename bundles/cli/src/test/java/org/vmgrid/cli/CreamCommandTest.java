package org.vmgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmgrid cream install-customization}: vmgrid's cp_1.sh and cp_2.sh written into a worker
 * node's customization directory, with the node's pilot socket and launcher in cp_1.sh.
 */
class CreamCommandTest {

    static final Path CUSTOMIZATION = Path.of("../../ce-plugin/cream-wrapper").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    private String home;

    @BeforeEach
    void distribution() throws IOException {
        Path from = Files.createDirectories(dir.resolve("vmgrid/cream-wrapper"));
        for (String f : CreamCustomization.FILES) {
            Files.copy(CUSTOMIZATION.resolve(f), from.resolve(f));
        }
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

    private Path site(String pilotProperties) throws IOException {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("pilot.properties"), pilotProperties);
        return site;
    }

    @Test
    void bothFilesAreInstalledWithTheNodesSocketAndLauncher() throws IOException {
        Path custom = Files.createDirectories(dir.resolve("custom"));
        MainTest.Result r = MainTest.run("cream", "install-customization", "--dir", custom.toString(), "--config-dir",
                site("service.socket = /run/site/pilot.sock\n").toString(), "--launcher", "/opt/vmgrid/vmgrid");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String cp1 = Files.readString(custom.resolve("cp_1.sh"));
        assertTrue(cp1.contains("\nvmgrid_service=/run/site/pilot.sock\n"), cp1);
        assertTrue(cp1.contains("\nvmgrid_launcher=/opt/vmgrid/vmgrid\n"), cp1);
        assertEquals(Files.readString(CUSTOMIZATION.resolve("cp_2.sh")), Files.readString(custom.resolve("cp_2.sh")));
        for (String f : CreamCustomization.FILES) {
            assertTrue(Files.readString(custom.resolve(f)).contains("\n" + CreamCustomization.MARK + "\n"), f);
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(custom.resolve(f))));
        }
        // the settings are the only lines that differ from the distribution's
        assertEquals(Files.readString(CUSTOMIZATION.resolve("cp_1.sh"))
                .replace("\nvmgrid_launcher=/usr/bin/vmgrid\n", "\nvmgrid_launcher=/opt/vmgrid/vmgrid\n")
                .replace("\nvmgrid_service=/run/vmgrid/pilot.sock\n", "\nvmgrid_service=/run/site/pilot.sock\n"), cp1);
    }

    @Test
    void withoutAPilotServiceOrWithAPathThatCannotBeWrittenNothingIsInstalled() throws IOException {
        Path custom = Files.createDirectories(dir.resolve("custom"));
        MainTest.Result none = MainTest.run("cream", "install-customization", "--dir", custom.toString(), "--config-dir",
                site("slots = 2\n").toString());
        assertEquals(ExitCodes.CONFIG, none.code());
        assertTrue(none.err().contains("names no service.socket"), none.err());
        MainTest.Result badLauncher = MainTest.run("cream", "install-customization", "--dir", custom.toString(),
                "--config-dir", site("service.socket = /run/vmgrid/pilot.sock\n").toString(), "--launcher",
                "/opt/my vmgrid/vmgrid");
        assertEquals(ExitCodes.CONFIG, badLauncher.code());
        assertTrue(badLauncher.err().contains("cannot be written into cp_1.sh"), badLauncher.err());
        assertFalse(Files.exists(custom.resolve("cp_1.sh")));
        assertEquals(ExitCodes.USAGE, MainTest.run("cream", "install-customization", "--dir",
                dir.resolve("none").toString(), "--config-dir", site("service.socket = /run/p.sock\n").toString()).code());
    }

    @Test
    void aDirectoryOthersMayWriteIsRefusedAsTheWorkerNodesHookWould() throws IOException {
        Path custom = Files.createDirectories(dir.resolve("custom"));
        Files.setPosixFilePermissions(custom, PosixFilePermissions.fromString("rwxrwxrwx"));
        MainTest.Result r = MainTest.run("cream", "install-customization", "--dir", custom.toString(), "--config-dir",
                site("service.socket = /run/vmgrid/pilot.sock\n").toString());
        assertEquals(ExitCodes.CONFIG, r.code());
        assertTrue(r.err().contains(custom + " is not root's alone"), r.err());
    }
}
