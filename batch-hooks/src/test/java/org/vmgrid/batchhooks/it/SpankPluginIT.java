package org.vmgrid.batchhooks.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vmgrid.appliance.ApplianceSettings;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.appliance.ApplianceBuilder;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.LoopbackSlurm;
import org.vmgrid.testing.PrivateLibvirt;
import org.vmgrid.testing.TestSite;
import org.vmgrid.testing.Unprivileged;

/**
 * A job's last leg for real: a single-node SLURM whose slurmd loads the vmgrid SPANK plugin (built
 * from {@code src/main/c} by the test with gcc), a private libvirtd and the project's appliance. A
 * job carrying the admission's {@code --comment} runs its script in the VM through {@code vmgrid
 * pilot run} (the real CLI), as the job's user; a plain job runs on the host; a bad comment fails
 * the job. One VM boot.
 */
class SpankPluginIT {

    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();
    private static Path shared;
    private static Path slurmDir;
    private static BuiltAppliance appliance;
    private static PrivateLibvirt libvirt;
    private static LoopbackSlurm slurm;
    private static Path work;

    @BeforeAll
    static void startLibvirtAndSlurmWithThePlugin() throws Exception {
        shared = Unprivileged.newDirectory("vmgrid-spank-it");
        ApplianceSettings settings = ApplianceSettings.defaults(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH)
                .withDebCache(Path.of(System.getProperty("vmgrid.deb.cache")));
        appliance = new ApplianceBuilder(RUN, settings).build(shared.resolve("appliance"));
        Path plugin = shared.resolve("vmgrid_spank.so");
        RUN.runChecked(Command.of(Duration.ofSeconds(120), "gcc", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Werror",
                "-O2", "-fPIC", "-shared", "-o", plugin.toString(), System.getProperty("vmgrid.spank.source"), "-lslurm"));
        libvirt = PrivateLibvirt.start();
        TestSite site = new TestSite(Files.createDirectories(shared.resolve("site")), libvirt.uri, 300,
                appliance.image().toUri(), appliance.uuid().toString(), appliance.size(), appliance.sha512());
        work = site.work();
        Path vmgrid = shared.resolve("vmgrid");
        Files.writeString(vmgrid, "#!/bin/sh\nVMGRID_CONF_DIR='" + site.conf + "' exec '"
                + ProcessHandle.current().info().command().orElse("java") + "' -cp '"
                + readableClassPath(Files.createDirectories(shared.resolve("classpath")))
                + "' org.vmgrid.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(vmgrid, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path plugstack = shared.resolve("plugstack.conf");
        Files.writeString(plugstack, "required " + plugin + " vmgrid=" + vmgrid + "\n");
        Unprivileged.own(shared);
        slurmDir = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-spank-slurm");
        slurm = new LoopbackSlurm(slurmDir, plugstack);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (slurm != null) {
                slurm.close();
            }
        } finally {
            try {
                if (libvirt != null) {
                    libvirt.close();
                }
            } finally {
                Unprivileged.deleteTree(slurmDir);
                Unprivileged.deleteTree(shared);
            }
        }
    }

    private static String sbatch(String name, String script, String... options) throws IOException {
        Path file = work.resolve(name + ".sh");
        Files.writeString(file, script);
        Unprivileged.own(file);
        List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable", "--uid=" + Unprivileged.USER,
                "--gid=" + Unprivileged.GROUP, "-D", work.toString(), "-o", work.resolve(name + ".out").toString()));
        argv.addAll(List.of(options));
        argv.add(file.toString());
        CommandResult r = slurm.slurmWithEnv(List.of("PATH=/usr/bin:/bin", "HOME=" + work), argv.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderrText());
        return r.stdoutText().strip();
    }

    @Test
    void aVmgridJobRunsItsScriptInTheVmAndEndsWithItsExitCode() throws Exception {
        String id = sbatch("vm", "#!/bin/sh\nuname -r\necho \"args $*\"\nexit 3\n", "--constraint=vmgrid",
                "--gres=vmslot:1", "--mem=512M", "--cpus-per-task=1",
                "--comment=vmgrid:image=" + appliance.uuid() + ",mem=128,cpus=1,net=none");
        assertEquals("FAILED", slurm.awaitEnd(id, Duration.ofMinutes(8)));
        String out = Files.readString(work.resolve("vm.out"));
        assertEquals("3:0", slurm.jobField(id, "ExitCode"), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.contains(appliance.kernelRelease()), "the script ran under the appliance's kernel: " + out);
        assertFalse(lines.contains(hostKernel()), out);
        assertEquals(List.of(), libvirt.domains(), "no domain left behind");
    }

    @Test
    void aPlainJobRunsOnTheHostUntouched() throws Exception {
        String id = sbatch("plain", "#!/bin/sh\nuname -r\nexit 5\n");
        assertEquals("FAILED", slurm.awaitEnd(id, Duration.ofMinutes(2)));
        assertEquals("5:0", slurm.jobField(id, "ExitCode"));
        assertEquals(hostKernel() + "\n", Files.readString(work.resolve("plain.out")));
    }

    @Test
    void aBadCommentFailsTheJobWithTheReasonAndNothingRuns() throws Exception {
        String u = appliance.uuid().toString();
        String[] bad = {"vmgrid:image=" + u + ",mem=128,cpus=1,net=bridged", "vmgrid:image=" + u.toUpperCase()
                + ",mem=128,cpus=1,net=none", "vmgrid:image=" + u + ",mem=0128,cpus=1,net=none", "vmgrid:image=" + u
                + ",mem=128,cpus=1,net=none,", "vmgrid:image=" + u + ",cpus=1,mem=128,net=none", "vmgrid:",
                "vmgrid:image=../../etc/passwd,mem=128,cpus=1,net=none"};
        for (int i = 0; i < bad.length; i++) {
            String id = sbatch("bad" + i, "#!/bin/sh\necho ran-anyway > ran" + i + ".txt\n", "--constraint=vmgrid",
                    "--comment=" + bad[i]);
            assertEquals("FAILED", slurm.awaitEnd(id, Duration.ofMinutes(2)), bad[i]);
            String out = Files.readString(work.resolve("bad" + i + ".out"));
            assertTrue(out.contains("vmgrid: job " + id + ": its comment is not vmgrid:image=<uuid>,mem=<MiB>,cpus=<n>,"
                    + "net=<none|outbound>; the job is not run"), bad[i] + ": " + out);
            assertFalse(Files.exists(work.resolve("ran" + i + ".txt")), "the script never runs without its VM: " + bad[i]);
        }
    }

    private static String hostKernel() {
        return RUN.runChecked(Command.of(Duration.ofSeconds(5), "uname", "-r")).stdoutText().strip();
    }

    /** This JVM's class path with every entry the job's user cannot read copied into {@code dir}. */
    private static String readableClassPath(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(":")) {
            Path p = Path.of(e);
            if (p.startsWith("/root") && Files.exists(p)) {
                Path copy = dir.resolve(i++ + "-" + p.getFileName());
                RUN.runChecked(Command.of(Duration.ofSeconds(60), "cp", "-r", p.toString(), copy.toString()));
                entries.add(copy.toString());
            } else {
                entries.add(e);
            }
        }
        return String.join(":", entries);
    }
}
