package org.vmgrid.batchhooks.cream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * vmgrid's cp_1.sh and cp_2.sh (ce-plugin/cream-wrapper) in a job wrapper of CREAM's shape
 * ({@link CreamJobWrapper}), run by bash as the batch system would, with {@code vmgrid pilot run}
 * replaced by a stand-in that records its arguments and then runs the command after {@code --} in
 * {@code --workdir} on the host (or fails as the pilot does). What it shows: the line CREAM wrote
 * reaches the pilot as one argument, byte for byte, with the job's working directory and Environment;
 * the wrapper's own steps and the exit code are as without vmgrid; a failure of the VM, and a request
 * that cannot be carried out, fail the job through the wrapper's {@code fatal_error} with the reason
 * (the latter before anything is staged); a job without a VM request is untouched.
 * {@code CreamJobWrapperIT} runs the same through BLAH's submit path, SLURM and a real VM.
 */
class CreamCustomizationTest {

    static final Path CUSTOMIZATION = Path.of("../ce-plugin/cream-wrapper").toAbsolutePath().normalize();
    static final String IMAGE = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    static final String JOB = "#!/bin/sh\nfor a in \"$@\"; do echo \"arg: $a\"; done\nread line; echo \"stdin: $line\"\n"
            + "tr a-z A-Z < input.dat > output.dat\necho \"label $JOB_LABEL\"\necho to-stderr >&2\nexit 7\n";

    @TempDir
    Path dir;
    private Path custom;
    private Path ce;
    private Path jobDir;
    private Path socket;
    private ServerSocketChannel listener;
    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    @BeforeEach
    void node() throws IOException {
        custom = Files.createDirectories(dir.resolve("customization"));
        socket = dir.resolve("pilot.sock");
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        Path stub = dir.resolve("vmgrid");
        Files.writeString(stub, """
                #!/bin/bash
                # stands in for vmgrid pilot run --service: records its arguments, then fails as the pilot
                # does, or runs the command after -- in --workdir, here on the host
                printf '%s\\0' "$@" > "$STUB_DIR/argv"
                if [ -n "${STUB_FAIL-}" ]; then echo "vmgrid pilot run: job pilot-1: $STUB_FAIL" >&2; exit "$STUB_EXIT"; fi
                while [ $# -gt 0 ]; do
                  case $1 in --workdir) wd=$2; shift 2 ;; --) shift; break ;; *) shift ;; esac
                done
                echo "pilot stand-in: a message of the pilot's own" >&2
                cd "$wd" && exec "$@"
                """);
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(custom.resolve("cp_1.sh"), Files.readString(CUSTOMIZATION.resolve("cp_1.sh"))
                .replace("\nvmgrid_launcher=/usr/bin/vmgrid\n", "\nvmgrid_launcher=" + stub + "\n")
                .replace("\nvmgrid_service=/run/vmgrid/pilot.sock\n", "\nvmgrid_service=" + socket + "\n"));
        Files.copy(CUSTOMIZATION.resolve("cp_2.sh"), custom.resolve("cp_2.sh"));
        ce = dir.resolve("ce");
        Files.createDirectories(ce.resolve("input"));
        Files.createDirectories(ce.resolve("output"));
        Files.writeString(ce.resolve("input/job.sh"), JOB);
        Files.writeString(ce.resolve("input/in.txt"), "a line for stdin\n");
        Files.writeString(ce.resolve("input/input.dat"), "staged by the wrapper\n");
        jobDir = Files.createDirectories(dir.resolve("job"));
        Files.createDirectories(dir.resolve("tmp"));
    }

    private String hostKernel() {
        return runner.run(Command.of(Duration.ofSeconds(5), "uname", "-r")).stdoutText().strip();
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    private static CreamJobWrapper wrapper(String arguments) {
        return new CreamJobWrapper("CREAM123456789", "job.sh", arguments, "in.txt", "std.out", "std.err")
                .env("JOB_LABEL", "cream-vm-1").input("job.sh").input("in.txt").input("input.dat")
                .output("std.out").output("std.err").output("output.dat");
    }

    private static final List<String> VM = List.of("VMGRID_IMAGE=" + IMAGE, "VMGRID_MEMORY=2048", "VMGRID_CPUS=2",
            "VMGRID_NETWORK=none");

    /** Runs the wrapper with bash in the job directory, in exactly the given environment. */
    private CommandResult run(CreamJobWrapper w, List<String> env) throws IOException {
        Path file = jobDir.resolve("CREAM123456789_jobWrapper.sh");
        Files.writeString(file, w.render(ce));
        List<String> argv = new ArrayList<>(List.of("env", "-i", "PATH=/usr/bin:/bin", "HOME=" + jobDir, "TMPDIR="
                + dir.resolve("tmp"), "GLITE_LOCAL_CUSTOMIZATION_DIR=" + custom, "STUB_DIR=" + dir));
        argv.addAll(env);
        argv.addAll(List.of("/bin/bash", file.toString(), "UI=000000:NS=0000000000:WM=000000"));
        return runner.run(Command.of(Duration.ofSeconds(60), argv).in(jobDir));
    }

    private List<String> pilotArguments() throws IOException {
        String raw = Files.readString(dir.resolve("argv"), StandardCharsets.UTF_8);
        return Arrays.asList(raw.substring(0, raw.length() - 1).split("\0", -1));
    }

    private String notifications() throws IOException {
        return Files.readString(ce.resolve("notifications"));
    }

    private String marks() throws IOException {
        return Files.exists(ce.resolve("marks")) ? Files.readString(ce.resolve("marks")) : "";
    }

    /** bash, as CREAM's wrapper is: shellcheck finds nothing; each file carries the mark the batch hook looks for. */
    @Test
    void theFilesAreCleanBashAndCarryTheMark() throws IOException {
        for (String f : List.of("cp_1.sh", "cp_2.sh")) {
            Path p = CUSTOMIZATION.resolve(f);
            CommandResult lint = runner.run(Command.of(Duration.ofSeconds(60), "shellcheck", "--shell=bash",
                    "--severity=style", p.toString()));
            assertEquals(0, lint.exitCode(), f + ": " + lint.stdoutText());
            assertTrue(Files.readString(p).contains("\nvmgrid_cream_customization=1\n"), f);
        }
    }

    @Test
    void aVmJobsCommandLineGoesToThePilotAsCreamWroteItAndTheWrapperDoesTheRest() throws IOException {
        CreamJobWrapper w = wrapper("'it is' \"two words\" $(echo sub)");
        CommandResult r = run(w, VM);
        assertEquals(0, r.exitCode(), r.stdoutText() + r.stderrText());
        Path workdir = jobDir.resolve("CREAM123456789");
        assertEquals(List.of("pilot", "run", "--service", socket.toString(), "--image", IMAGE, "--memory", "2048", "--cpus",
                "2", "--network", "none", "--timeout", "2592000", "--workdir", workdir.toString(), "--ce-job",
                "https://ce.example.org:8443/CREAM123456789", "--env",
                "JOB_LABEL=cream-vm-1", "--", "/bin/sh", "-c", w.commandLine()), pilotArguments());
        // the line ran as CREAM meant it: its quoting, stdin, stdout and stderr redirections, in the working directory
        assertEquals("arg: it is\narg: two words\narg: sub\nstdin: a line for stdin\nlabel cream-vm-1\n",
                Files.readString(ce.resolve("output/std.out")));
        assertEquals("to-stderr\n", Files.readString(ce.resolve("output/std.err")));
        assertEquals("STAGED BY THE WRAPPER\n", Files.readString(ce.resolve("output/output.dat")));
        assertEquals("JobStatus=2;\nJobStatus=11;\nJobStatus=4;Reason=\"reason=0\";ExitCode=7;\n", notifications());
        assertTrue(r.stdoutText().contains("job exit status = 7\n"), r.stdoutText());
        assertTrue(r.stderrText().contains("pilot stand-in: a message of the pilot's own\n"), "cp_2.sh passes the pilot's "
                + "messages on: " + r.stderrText());
        String marks = marks();
        for (String step : List.of("staged job.sh", "staged in.txt", "staged input.dat", "proxy renewal",
                "uploaded std.out", "uploaded output.dat")) {
            assertTrue(marks.contains(step + " " + hostKernel() + "\n"), step + ": " + marks);
        }
        assertEquals(List.of(), Files.list(dir.resolve("tmp")).toList(), "the pilot's messages file is removed");
    }

    @Test
    void aFailureOfTheVmFailsTheJobWithThePilotsReason() throws IOException {
        List<String> env = new ArrayList<>(VM);
        env.addAll(List.of("STUB_FAIL=the guest did not start the payload within 300 s", "STUB_EXIT=76"));
        CommandResult r = run(wrapper("x"), env);
        assertEquals(1, r.exitCode(), r.stdoutText() + r.stderrText());
        assertTrue(r.stdoutText().contains("job exit status = 76\n"), r.stdoutText());
        assertEquals("JobStatus=2;\nJobStatus=11;\nJobStatus=4; Reason=\"vmgrid: the job's command did not run to its end in "
                + "its VM (exit 76): job pilot-1: the guest did not start the payload within 300 s\";\n", notifications());
        assertTrue(marks().contains("staged job.sh "), marks());
        assertEquals(List.of(), Files.list(dir.resolve("tmp")).toList());
    }

    @Test
    void aRequestThatCannotBeCarriedOutFailsTheJobBeforeAnythingIsStaged() throws IOException {
        List<String> hostile = List.of("VMGRID_IMAGE=" + IMAGE, "VMGRID_MEMORY=2048; touch ../pwned", "VMGRID_CPUS=2",
                "VMGRID_NETWORK=none");
        CommandResult r = run(wrapper("x"), hostile);
        assertEquals(1, r.exitCode(), r.stdoutText() + r.stderrText());
        assertEquals("JobStatus=4; Reason=\"vmgrid: the job asks for a VM, but VMGRID_MEMORY is not a number of MiB; its "
                + "command is not run\";\n", notifications());
        assertEquals("", marks(), "nothing was staged, no command ran");
        assertFalse(Files.exists(dir.resolve("argv")));
        assertFalse(Files.exists(dir.resolve("pwned")));

        Files.delete(ce.resolve("notifications"));
        listener.close();
        Files.delete(socket);
        CommandResult noService = run(wrapper("x"), VM);
        assertEquals(1, noService.exitCode());
        assertEquals("JobStatus=4; Reason=\"vmgrid: the job asks for a VM, but no pilot service socket at " + socket
                + " (vmgrid_service of " + custom + "/cp_1.sh); start vmgrid serve on the worker node; its command is not "
                + "run\";\n", notifications());
        assertEquals("", marks());
        assertFalse(Files.exists(dir.resolve("argv")));
    }

    @Test
    void aJobWithoutAVmRequestIsUntouched() throws IOException {
        CommandResult r = run(wrapper("'it is'"), List.of("vmgrid_errors=" + dir.resolve("customization/cp_1.sh")));
        assertEquals(0, r.exitCode(), r.stdoutText() + r.stderrText());
        assertFalse(Files.exists(dir.resolve("argv")), "no pilot was asked");
        assertEquals("arg: it is\nstdin: a line for stdin\nlabel cream-vm-1\n", Files.readString(ce.resolve("output/std.out")));
        assertEquals("JobStatus=2;\nJobStatus=11;\nJobStatus=4;Reason=\"reason=0\";ExitCode=7;\n", notifications());
        assertTrue(Files.exists(custom.resolve("cp_1.sh")), "a variable set in the job's environment is not taken");
        assertEquals(List.of(), Files.list(dir.resolve("tmp")).toList());
    }
}
