package org.vmgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApplianceCommandTest {

    @Test
    void withoutASubcommandPrintsUsage() {
        MainTest.Result r = MainTest.run("appliance");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("build"), r.err());
    }

    @Test
    void buildWantsAnOutputDirectory() {
        MainTest.Result r = MainTest.run("appliance", "build");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--out"), r.err());
    }

    @Test
    void aBuildThatCannotStartSaysWhereAndFails() {
        MainTest.Result r = MainTest.run("appliance", "build", "--out", "/proc/vmgrid-appliance-test");
        assertEquals(ApplianceCommand.BUILD_FAILED, r.code());
        assertTrue(r.err().startsWith("vmgrid appliance build: cannot create the output directory /proc/vmgrid-appliance-test"),
                r.err());
    }
}
