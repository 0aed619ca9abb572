package org.vmgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vmgrid arc admit}: A-REX reads the exit code and appends standard output, as it is, to the job's error. */
class ArcAdmitCommandTest {

    static final String ID = "x1y2z3";

    @TempDir
    Path control;

    private void job(String runtime, String description) throws IOException {
        Files.writeString(control.resolve("job." + ID + ".grami"), runtime);
        Files.writeString(control.resolve("job." + ID + ".description"), description);
        Files.writeString(control.resolve("job." + ID + ".local"), "lrms=SLURM\nvoms=/dteam/Role=NULL/Capability=NULL\n");
    }

    @Test
    void aRefusedVmJobExitsOneWithTheReasonAndNoNewline() throws IOException {
        job("joboption_runtime_0='VMGRID/IMAGE/debian-test'\njoboption_runtime_1='ENV/VMGRID'\n"
                + "joboption_runtime_1_1='memory=8192'\n", "&(executable=/bin/true)(runtimeenvironment=\"VMGRID/IMAGE/"
                + "debian-test\")(runtimeenvironment=\"ENV/VMGRID\" \"memory=8192\")");
        MainTest.Result r = MainTest.run("arc", "admit", "--config-dir", JdlCheckCommandTest.SITE, control.toString(), ID);
        assertEquals(ExitCodes.REFUSED, r.code(), r.err());
        assertEquals("vmgrid: VM request refused: ENV/VMGRID memory = 8192 MiB is outside what this site allows (96 to 4096 MiB); "
                + "ask for at most 4096", r.out());
    }

    @Test
    void anAdmittedVmJobAndAPlainJobExitZeroSilently() throws IOException {
        job("joboption_runtime_0='VMGRID/IMAGE/debian-test'\n", "&(executable=/bin/true)(runtimeenvironment=\""
                + "VMGRID/IMAGE/debian-test\")");
        MainTest.Result vm = MainTest.run("arc", "admit", "--config-dir", JdlCheckCommandTest.SITE, control.toString(), ID);
        assertEquals(ExitCodes.OK, vm.code(), vm.out() + vm.err());
        assertEquals("", vm.out());
        job("joboption_runtime_0='ENV/PROXY'\n", "not read");
        MainTest.Result plain = MainTest.run("arc", "admit", "--config-dir", "/nonexistent/site", control.toString(), ID);
        assertEquals(ExitCodes.OK, plain.code(), "a plain job needs no site configuration: " + plain.out());
    }
}
