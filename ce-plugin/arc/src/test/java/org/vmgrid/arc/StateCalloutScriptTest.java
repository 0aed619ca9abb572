package org.vmgrid.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * {@code vmgrid-arc-statecallout} as A-REX runs it ({@code /bin/sh <script> %C %I ...}): a job whose
 * grami names none of vmgrid's runtime environments passes without vmgrid being started; every
 * other job (and any doubt) goes to {@code vmgrid arc admit} with the options given after the job id.
 */
class StateCalloutScriptTest {

    static final Path SCRIPT = Path.of("src/main/sh/vmgrid-arc-statecallout").toAbsolutePath();
    static final String ID = "abcDEF123";

    @TempDir
    Path dir;

    private CommandResult callout(String grami, String jobId, String... options) throws IOException {
        Path vmgrid = dir.resolve("vmgrid");
        Files.writeString(vmgrid, "#!/bin/sh\necho \"vmgrid $*\"\nexit 1\n");
        Files.setPosixFilePermissions(vmgrid, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (grami != null) {
            Files.writeString(dir.resolve("job." + ID + ".grami"), grami);
        }
        List<String> argv = new java.util.ArrayList<>(List.of("dash", SCRIPT.toString(), dir.toString(), jobId));
        argv.addAll(List.of(options));
        argv.addAll(List.of("--vmgrid", vmgrid.toString(), "--config-dir", "/etc/site"));
        return new ProcessCommandRunner().run(Command.of(Duration.ofSeconds(30), argv));
    }

    @Test
    void aPlainJobPassesWithoutVmgrid() throws IOException {
        CommandResult r = callout("joboption_arg_0='/bin/sh'\njoboption_runtime_0='ENV/PROXY'\n"
                + "joboption_arg_1='joboption_runtime_1='\\''VMGRID/IMAGE/x'\\'''\n", ID);
        assertEquals(0, r.exitCode(), r.stdoutText());
        assertEquals("", r.stdoutText());
    }

    @Test
    void everyOtherJobGoesToVmgridArcAdmit() throws IOException {
        String expected = "vmgrid arc admit --config-dir /etc/site " + dir + " " + ID + "\n";
        for (String grami : List.of("joboption_runtime_0='VMGRID/IMAGE/debian-12'\n", "joboption_runtime_2='ENV/VMGRID'\n",
                "joboption_runtime_0='vmgrid/image/x'\n")) {
            CommandResult r = callout(grami, ID);
            assertEquals(1, r.exitCode(), grami);
            assertEquals(expected, r.stdoutText(), grami);
        }
        assertEquals(expected, callout(null, ID).stdoutText(), "no grami: vmgrid decides");
        assertEquals("vmgrid arc admit --config-dir /etc/site " + dir + " ../x\n",
                callout("joboption_runtime_0='ENV/PROXY'\n", "../x").stdoutText(), "an odd job id: vmgrid decides");
    }

    @Test
    void theServiceDecidesWithoutACommandAndTheCommandStandsInWhenItIsNotThere() throws IOException {
        Files.writeString(dir.resolve("job." + ID + ".description"), "&(executable=/bin/true)(runtimeenvironment="
                + "\"VMGRID/IMAGE/debian-test\")(runtimeenvironment=\"ENV/VMGRID\" \"memory=65536\")");
        Files.writeString(dir.resolve("job." + ID + ".local"), "lrms=SLURM\nvoms=/dteam/Role=NULL/Capability=NULL\n");
        String grami = "joboption_runtime_0='VMGRID/IMAGE/debian-test'\njoboption_runtime_1='ENV/VMGRID'\n"
                + "joboption_runtime_1_1='memory=65536'\n";
        Path socket = dir.resolve("run/callout.sock");
        try (StateCalloutServer server = new StateCalloutServer(socket, new StateCallout(ArcTestSite::admission,
                new ArcJobDescriptions()))) {
            CommandResult r = callout(grami, ID, "--service", socket.toString());
            assertEquals(1, r.exitCode(), r.stdoutText() + r.stderrText());
            assertEquals("vmgrid: VM request refused: ENV/VMGRID memory = 65536 MiB is outside what this site allows (96 to 4096 MiB); "
                    + "ask for at most 4096", r.stdoutText(), "the service's reason, not the stand-in command's");
            assertEquals("-rw-------", "-" + PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("refuse vmgrid: the state callout service got no CONTROLDIR\\0JOBID\\0 request\n",
                    server.answer("relative\0x\0".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        assertEquals("vmgrid arc admit --config-dir /etc/site " + dir + " " + ID + "\n",
                callout(grami, ID, "--service", socket.toString()).stdoutText(), "no service: the command decides");
    }
}
