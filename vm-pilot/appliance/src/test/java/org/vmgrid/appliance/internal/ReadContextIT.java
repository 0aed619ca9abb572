package org.vmgrid.appliance.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * The appliance's context reader run for real by the host's busybox-static (the same package the
 * appliance's busybox comes from), with only busybox applets on its PATH: hostile context.sh files
 * are refused whole, with a reason, and nothing in them runs.
 */
class ReadContextIT {

    @TempDir
    Path dir;

    private Path script;
    private Path bin;

    @BeforeEach
    void setUp() throws Exception {
        script = Files.write(dir.resolve("read-context"), InitramfsAssembler.resource("read-context.sh"));
        bin = Files.createDirectories(dir.resolve("bin"));
        for (String applet : List.of("cat", "base64", "mkdir", "sh", "touch")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("/bin/busybox"));
        }
    }

    private CommandResult read(String contextSh) throws Exception {
        return read(contextSh, "1");
    }

    /** read-context as the guest agent runs it for guest contract {@code version}. */
    private CommandResult read(String contextSh, String version) throws Exception {
        Path ctx = Files.writeString(dir.resolve("context.sh"), contextSh, StandardCharsets.UTF_8);
        return new ProcessCommandRunner().run(new Command(List.of("/bin/busybox", "sh", script.toString(), ctx.toString(),
                dir.resolve("out").toString(), version), java.util.Optional.of(dir), Map.of("PATH", bin.toString()),
                new byte[0], Duration.ofSeconds(30)));
    }

    /** A context as the pilot sends it over the job port (guest contract 2). */
    private static String validSent() {
        return valid().replace("VMGRID_CONTEXT_VERSION='1'", "VMGRID_CONTEXT_VERSION='2'")
                + "\nVMGRID_TIME='1767225600'\nVMGRID_START='warm'\n";
    }

    @Test
    void readsAContextSentOverTheJobPortWithTheHostsTimeAndHowTheVmStarted() throws Exception {
        CommandResult r = read(validSent(), "2");
        assertEquals(0, r.exitCode(), r.stderrText());
        Path out = dir.resolve("out");
        assertEquals("1767225600", Files.readString(out.resolve("time")));
        assertEquals("warm", Files.readString(out.resolve("start")));
        assertEquals("/grid/job 1", Files.readString(out.resolve("workdir")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "time missing         | VMGRID_TIME                      | VMGRID_TIME is missing or not whole seconds",
        "time with fraction   | VMGRID_TIME='1767225600.5'       | VMGRID_TIME is missing or not whole seconds",
        "time far too long    | VMGRID_TIME='1234567890123'      | VMGRID_TIME is missing or not whole seconds",
        "start unknown        | VMGRID_START='hot'               | VMGRID_START is 'hot', neither warm nor cold",
        "version of the disk  | VMGRID_CONTEXT_VERSION='1'       | VMGRID_CONTEXT_VERSION is '1', expected 2",
    })
    void refusesASentContextWithoutWhatContract2Adds(String why, String line, String reason) throws Exception {
        String name = line.contains("=") ? line.substring(0, line.indexOf('=')) : line; // a bare name: left out
        String context = validSent().lines().filter(l -> !l.startsWith(name + "=")).reduce("", (a, b) -> a + b + "\n")
                + (line.contains("=") ? line + "\n" : "");
        CommandResult r = read(context, "2");
        assertEquals(1, r.exitCode(), why + ": " + r.stderrText());
        assertTrue(r.stderrText().contains(reason), why + ": " + r.stderrText());
        assertFalse(Files.exists(dir.resolve("out/argc")), why + ": a refused context leaves no argc");
    }

    @Test
    void aContextFromTheDiskMustNotClaimContract2() throws Exception {
        CommandResult r = read(validSent(), "1");
        assertEquals(1, r.exitCode(), r.stderrText());
        assertTrue(r.stderrText().contains("VMGRID_CONTEXT_VERSION is '2', expected 1"), r.stderrText());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String valid() {
        return "# Context variables\n\nVMGRID_CONTEXT_VERSION='1'\nVMGRID_JOB_ID='1234.slurm@ce:x'\nVMGRID_ARGC='2'\n"
                + "VMGRID_ARG_0='" + b64("/bin/echo") + "'\nVMGRID_ARG_1='" + b64("it's $(rm -rf /) `x`\n\n") + "'\n"
                + "VMGRID_ENVC='1'\nVMGRID_ENV_0='" + b64("A_B=x=y\nz") + "'\n"
                + "VMGRID_WORKDIR='" + b64("/grid/job 1") + "'\nVMGRID_WORKDIR_TAG='jobdir'\n"
                + "USER_DATA='" + b64("#cloud-config\n{}\n") + "'\nUSERDATA_ENCODING='base64'";
    }

    @Test
    void decodesEveryValueToItsExactBytes() throws Exception {
        CommandResult r = read(valid());
        assertEquals(0, r.exitCode(), r.stderrText());
        Path out = dir.resolve("out");
        assertEquals("2", Files.readString(out.resolve("argc")));
        assertEquals("1", Files.readString(out.resolve("envc")));
        assertEquals("none", Files.readString(out.resolve("network")), "no VMGRID_NETWORK means none");
        assertEquals("/bin/echo", Files.readString(out.resolve("arg.0")));
        assertArrayEquals("it's $(rm -rf /) `x`\n\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(out.resolve("arg.1")));
        assertEquals("A_B=x=y\nz", Files.readString(out.resolve("env.0")));
        assertEquals("/grid/job 1", Files.readString(out.resolve("workdir")));
    }

    @Test
    void acceptsOutboundAndCarriageReturnFreeLastLines() throws Exception {
        CommandResult r = read(valid() + "\nVMGRID_NETWORK='outbound'");
        assertEquals(0, r.exitCode(), r.stderrText());
        assertEquals("outbound", Files.readString(dir.resolve("out/network")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "command substitution   | X='$(touch pwned)'                 | line 14 (X) holds a character outside",
        "backticks              | X='`touch pwned`'                  | line 14 (X) holds a character outside",
        "unquoted               | X=$(touch pwned)                   | line 14 (X) is not quoted",
        "double quoted          | X=\"$(touch pwned)\"               | line 14 (X) is not quoted",
        "quote breaking out     | X='a'; touch pwned; Y='b'          | line 14 (X) holds a character outside",
        "space in value         | X='a b'                            | line 14 (X) holds a character outside",
        "carriage return        | ~X='a'\r~                          | line 14 (X) is not quoted",
        "bad name               | A-B='x'                            | line 14 is not NAME='value'",
        "digit first            | 1A='x'                             | line 14 is not NAME='value'",
        "no equals sign         | touch pwned                        | line 14 is not NAME='value'",
        "command as name        | touch pwned='x'                    | line 14 is not NAME='value'",
        "other contract version | VMGRID_CONTEXT_VERSION='2'         | VMGRID_CONTEXT_VERSION is '2'",
        "no arguments           | VMGRID_ARGC='0'                    | VMGRID_ARGC is missing or not a positive number",
        "argc not a number      | VMGRID_ARGC='2x'                   | VMGRID_ARGC is missing or not a positive number",
        "argument missing       | VMGRID_ARGC='3'                    | VMGRID_ARG_2 is missing",
        "argument not base64    | VMGRID_ARG_1='ab.c:d@'             | VMGRID_ARG_1 is not base64",
        "argument bad length    | VMGRID_ARG_1='YWJ'                 | VMGRID_ARG_1 is not base64",
        "padding inside         | VMGRID_ARG_1='YW=j'                | VMGRID_ARG_1 is not base64",
        "env without equals     | VMGRID_ENV_0='Tk9FUVVBTFM='        | VMGRID_ENV_0 is not NAME=value",
        "env bad name           | VMGRID_ENV_0='MUE9Yg=='            | VMGRID_ENV_0 does not start with a variable name",
        "relative workdir       | VMGRID_WORKDIR='am9i'              | VMGRID_WORKDIR is not an absolute path",
        "workdir with newline   | VMGRID_WORKDIR='L2EKYg=='          | VMGRID_WORKDIR holds a newline",
        "other mount tag        | VMGRID_WORKDIR_TAG='root'          | VMGRID_WORKDIR_TAG is 'root'",
        "bridged network        | VMGRID_NETWORK='bridged'           | VMGRID_NETWORK is 'bridged'",
    })
    void refusesAHostileOrBrokenContextWhole(String why, String line, String reason) throws Exception {
        CommandResult r = read(valid() + "\n" + line + "\n");
        assertEquals(1, r.exitCode(), why + ": " + r.stderrText());
        assertTrue(r.stderrText().contains(reason), why + ": " + r.stderrText());
        assertEquals(1, r.stderrText().strip().lines().count(), "one line of reason: " + r.stderrText());
        assertFalse(Files.exists(dir.resolve("pwned")), why + ": something in the context ran");
        assertFalse(Files.exists(dir.resolve("out/argc")), why + ": a refused context leaves no argc");
    }

    @Test
    void refusesAContextWithoutItsCoreVariables() throws Exception {
        CommandResult r = read("VMGRID_JOB_ID='1'\n");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderrText().contains("VMGRID_CONTEXT_VERSION is ''"), r.stderrText());
    }
}
