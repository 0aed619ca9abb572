package org.vmgrid.blahservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.Lrms;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * The hooks are POSIX sh (shellcheck's POSIX mode and dash accept them), bash reads them too, the
 * five differ only in the batch system they name, and installing one writes the site's two paths.
 */
class HookScriptsTest {

    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    private CommandResult run(String... argv) {
        return runner.run(Command.of(Duration.ofSeconds(60), argv));
    }

    @Test
    void everyInstalledHookIsPosixShAsShellcheckAndDashReadIt(@TempDir Path libexec) {
        List<Path> hooks = new java.util.ArrayList<>(HookInstaller.install(BlahHookHarness.HOOKS, libexec,
                List.of(Lrms.values()), Path.of("/run/vmgrid/blah-hook.sock"), Path.of("/opt/vmgrid/blah/vmgrid-hook-client")));
        hooks.add(BlahHookHarness.HOOKS.resolve(HookInstaller.SOURCE));
        for (Path hook : hooks) {
            CommandResult lint = run("shellcheck", "--shell=sh", "--severity=style", hook.toString());
            assertEquals(0, lint.exitCode(), hook + ": " + lint.stdoutText() + lint.stderrText());
            CommandResult dash = run("dash", "-n", hook.toString());
            assertEquals(0, dash.exitCode(), dash.stderrText());
            CommandResult bash = run("bash", "--posix", "-n", hook.toString());
            assertEquals(0, bash.exitCode(), bash.stderrText());
        }
    }

    @Test
    void oneSourceIsInstalledUnderEachBatchSystemsNameNamingThatBatchSystem(@TempDir Path libexec) throws IOException {
        String source = Files.readString(BlahHookHarness.HOOKS.resolve(HookInstaller.SOURCE));
        try (var files = Files.list(BlahHookHarness.HOOKS)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("_local_submit_attributes.sh")).toList(), "no copy per batch system");
        }
        List<Path> written = HookInstaller.install(BlahHookHarness.HOOKS, libexec, List.of(Lrms.values()),
                Path.of("/run/vmgrid/blah-hook.sock"), Path.of("/opt/vmgrid/blah/vmgrid-hook-client"));
        for (Lrms lrms : Lrms.values()) {
            Path hook = libexec.resolve(lrms.keyword() + "_local_submit_attributes.sh");
            assertTrue(written.contains(hook), hook.toString());
            assertEquals(source.replace("vmgrid_lrms=none\n", "vmgrid_lrms=" + lrms.keyword() + "\n"),
                    Files.readString(hook), lrms.keyword());
            // the refusal the hook prints itself when the service cannot answer, in this batch system's terms
            assertTrue(source.contains("\n        " + lrms.keyword() + ") printf '"), "a refusal line for " + lrms);
        }
    }

    @Test
    void installingWritesTheSitesSocketAndHelperAndNothingElse(@TempDir Path libexec) throws IOException {
        List<Path> written = HookInstaller.install(BlahHookHarness.HOOKS, libexec, List.of(Lrms.SLURM, Lrms.CONDOR),
                Path.of("/var/run/site/hook.sock"), Path.of("/usr/libexec/vmgrid/vmgrid-hook-client"));
        assertEquals(List.of(libexec.resolve("slurm_local_submit_attributes.sh"),
                libexec.resolve("condor_local_submit_attributes.sh")), written);
        String original = Files.readString(BlahHookHarness.HOOKS.resolve(HookInstaller.SOURCE));
        String installed = Files.readString(written.get(0));
        assertEquals(original.replace("vmgrid_socket=/run/vmgrid/blah-hook.sock", "vmgrid_socket=/var/run/site/hook.sock")
                .replace("vmgrid_client=/opt/vmgrid/blah/vmgrid-hook-client",
                        "vmgrid_client=/usr/libexec/vmgrid/vmgrid-hook-client")
                .replace("vmgrid_lrms=none", "vmgrid_lrms=slurm"), installed);
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                written.get(0))));
        for (String bad : List.of("relative.sock", "/tmp/a b.sock", "/tmp/$(id).sock", "/tmp/x\n/y", "/tmp/x'y")) {
            assertThrows(HookServiceException.class,
                    () -> HookInstaller.render(original, Lrms.SLURM, Path.of(bad), Path.of("/c")), bad);
        }
        assertThrows(HookServiceException.class,
                () -> HookInstaller.render("echo hi\n", Lrms.SLURM, Path.of("/s"), Path.of("/c")));
        assertThrows(HookServiceException.class, () -> HookInstaller.render(
                original.replace("vmgrid_lrms=none\n", ""), Lrms.SLURM, Path.of("/s"), Path.of("/c")), "no batch system line");
    }

    @Test
    void theHelperNeedsItsThreeArgumentsAndSaysWhatFailedByItsExitStatus(@TempDir Path tmp) throws IOException {
        String client = BlahHookHarness.CLIENT.toString();
        Path file = Files.writeString(tmp.resolve("req"), "A='1'\n");
        assertEquals(2, run(client).exitCode());
        assertEquals(2, run(client, "relative.sock", "slurm", file.toString()).exitCode());
        assertEquals(3, run(client, tmp.resolve("s.sock").toString(), "slurm", tmp.resolve("missing").toString()).exitCode());
        assertEquals(4, run(client, tmp.resolve("s.sock").toString(), "slurm", file.toString()).exitCode());
        CommandResult ldd = run("ldd", client);
        assertTrue(ldd.exitCode() != 0 || ldd.stdoutText().contains("not a dynamic executable"), ldd.stdoutText());
    }
}
