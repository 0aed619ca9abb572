package org.vmgrid.batchhooks.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
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
 * from {@code src/main/c} by the test with gcc), a private system libvirtd and the project's
 * appliance. A job carrying the admission's {@code --comment} runs its script in the VM through
 * {@code vmgrid pilot run} (the real CLI), as the job's user (one that may use libvirt); a plain job
 * runs on the host; a bad comment fails the job. With {@code service=} in plugstack.conf the job,
 * of a pool account that may not use libvirt and whose job directory is its own with mode 0700,
 * runs through the resident pilot service instead, which the test starts as the service's account
 * ({@link PilotServiceDriver}); its VM's QEMU runs as the pool account, and what the guest writes
 * is the pool account's. With nothing listening there the job fails with the reason. slurmstepd
 * reads plugstack.conf afresh for each job (SLURM 22.05, checked by experiment), so those tests
 * rewrite it for their jobs and put it back. Two VM boots.
 */
class SpankPluginIT {

    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();
    private static Path shared;
    private static Path slurmDir;
    private static BuiltAppliance appliance;
    private static PrivateLibvirt libvirt;
    private static LoopbackSlurm slurm;
    /** Job directories, mode 0700: of the user that may use libvirt, and of the pool account. */
    private static Path work;
    private static Path poolWork;
    /** The unix socket services read their clients' ids through the JDK's socket internals. */
    private static final String ADD_EXPORTS = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";
    private static Path conf;
    private static Path plugstack;
    private static String plugstackLine;
    private static Path serviceSocket;
    private static String javaCommand;
    private static String classPath;

    @BeforeAll
    static void startLibvirtAndSlurmWithThePlugin() throws Exception {
        shared = Unprivileged.newDirectory("vmgrid-spank-it");
        ApplianceSettings settings = ApplianceSettings.defaults(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH)
                .withDebCache(Path.of(System.getProperty("vmgrid.deb.cache")));
        appliance = new ApplianceBuilder(RUN, settings).build(shared.resolve("appliance"));
        Path plugin = shared.resolve("vmgrid_spank.so");
        RUN.runChecked(Command.of(Duration.ofSeconds(120), "gcc", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Werror",
                "-O2", "-fPIC", "-shared", "-o", plugin.toString(), System.getProperty("vmgrid.spank.source"), "-lslurm"));
        libvirt = PrivateLibvirt.start(Unprivileged.GROUP);
        TestSite site = new TestSite(Files.createDirectories(shared.resolve("site")), libvirt.uri, 300,
                appliance.image().toUri(), appliance.uuid().toString(), appliance.size(), appliance.sha512());
        work = site.work();
        conf = site.conf;
        // the pilot service's socket, in a directory of the user the service runs as
        serviceSocket = Files.createDirectories(shared.resolve("pilot-service")).resolve("pilot.sock");
        Files.writeString(conf.resolve("pilot.properties"), "service.socket = " + serviceSocket + "\n",
                StandardOpenOption.APPEND);
        javaCommand = ProcessHandle.current().info().command().orElse("java");
        classPath = Unprivileged.readableClassPath(Files.createDirectories(shared.resolve("classpath")));
        Path vmgrid = shared.resolve("vmgrid");
        Files.writeString(vmgrid, "#!/bin/sh\nVMGRID_CONF_DIR='" + site.conf + "' exec '" + javaCommand
                + "' -XX:-UsePerfData " + ADD_EXPORTS + " -cp '" + classPath + "' org.vmgrid.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(vmgrid, PosixFilePermissions.fromString("rwxr-xr-x"));
        plugstack = shared.resolve("plugstack.conf");
        plugstackLine = "required " + plugin + " vmgrid=" + vmgrid;
        Files.writeString(plugstack, plugstackLine + "\n");
        Unprivileged.own(shared);
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
        poolWork = Unprivileged.poolJobDirectory(shared, "pool-work");
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
        return sbatch(false, name, script, List.of(), options);
    }

    /** Submits as the user that may use libvirt, or as the pool account, in that user's job directory. */
    private static String sbatch(boolean pool, String name, String script, List<String> args, String... options)
            throws IOException {
        Path dir = pool ? poolWork : work;
        Path file = dir.resolve(name + ".sh");
        Files.writeString(file, script);
        if (pool) {
            Unprivileged.ownByPool(file);
        } else {
            Unprivileged.own(file);
        }
        List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable",
                "--uid=" + (pool ? Unprivileged.POOL : Unprivileged.USER),
                "--gid=" + (pool ? Unprivileged.POOL_GROUP : Unprivileged.GROUP), "-D", dir.toString(), "-o",
                dir.resolve(name + ".out").toString()));
        argv.addAll(List.of(options));
        argv.add(file.toString());
        argv.addAll(args);
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

    @Test
    void withServiceInPlugstackAPoolAccountsVmgridJobRunsThroughThePilotServiceAsThatAccount() throws Exception {
        Path log = shared.resolve("pilot-service.log");
        Process service = startPilotService(log);
        try {
            String id = withPlugstackArgument("service=" + serviceSocket, () -> {
                String job = sbatch(true, "svc", "#!/bin/sh\nuname -r\necho \"args $*\"\necho from-the-guest > made.txt\n"
                        + "exit 3\n", List.of("one", "two words"), "--constraint=vmgrid", "--gres=vmslot:1", "--mem=512M",
                        "--cpus-per-task=1", "--comment=vmgrid:image=" + appliance.uuid() + ",mem=128,cpus=1,net=none");
                assertEquals("FAILED", slurm.awaitEnd(job, Duration.ofMinutes(8)), () -> serviceLog(log));
                return job;
            });
            String out = Files.readString(poolWork.resolve("svc.out"));
            assertEquals("3:0", slurm.jobField(id, "ExitCode"), out + serviceLog(log));
            List<String> lines = out.lines().toList();
            assertTrue(lines.contains(appliance.kernelRelease()), "the script ran under the appliance's kernel: " + out);
            assertFalse(lines.contains(hostKernel()), out);
            assertTrue(lines.contains("args one two words"), out);
            Path made = poolWork.resolve("made.txt");
            assertEquals("from-the-guest\n", Files.readString(made));
            assertEquals(Unprivileged.POOL, Files.getOwner(made).getName(), "what the guest wrote is the job user's");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(poolWork)),
                    "the job directory was shared as it is");
            String begun = Files.readString(log);
            assertEquals(1, count(begun, "vmgrid pilot service: job \\S+ of " + Unprivileged.POOL + ": image "
                    + Pattern.quote(appliance.uuid() + ", workdir " + poolWork.toRealPath())), begun);
            assertEquals(1, count(begun, "vmgrid pilot service: job \\S+ of \\S+: image "), "the service ran this job only: "
                    + begun);
            // the result reaches the job before the service has torn the VM down; its log says when that is done
            awaitLog(log, Pattern.compile("vmgrid pilot service: job \\S+ of " + Unprivileged.POOL + " ended: exit 3\\b"),
                    Duration.ofSeconds(60));
            assertEquals(List.of(), libvirt.domains(), "no domain left behind");
            assertEquals(143, stopPilotService(service), () -> serviceLog(log));
            assertFalse(Files.exists(serviceSocket), "the stopped service removed its socket");
        } finally {
            stopPilotService(service);
        }
    }

    @Test
    void withServiceInPlugstackAVmgridJobFailsWithTheReasonWhenNoServiceListensAndNothingRuns() throws Exception {
        Path nowhere = shared.resolve("no-pilot-service/pilot.sock");
        String id = withPlugstackArgument("service=" + nowhere, () -> {
            String job = sbatch("nosvc", "#!/bin/sh\necho ran-anyway > ran-nosvc.txt\n", "--constraint=vmgrid",
                    "--gres=vmslot:1", "--mem=512M", "--cpus-per-task=1",
                    "--comment=vmgrid:image=" + appliance.uuid() + ",mem=128,cpus=1,net=none");
            assertEquals("FAILED", slurm.awaitEnd(job, Duration.ofMinutes(2)));
            return job;
        });
        String out = Files.readString(work.resolve("nosvc.out"));
        assertEquals("79:0", slurm.jobField(id, "ExitCode"), out);
        assertTrue(out.contains("vmgrid pilot run: cannot reach the pilot service at " + nowhere + ": "), out);
        assertFalse(Files.exists(work.resolve("ran-nosvc.txt")), "the script never runs without its VM");
        assertEquals(List.of(), libvirt.domains());
    }

    /**
     * Runs {@code jobs} with the plugin's plugstack.conf line carrying one more argument, then puts
     * the line back (each file replaced at once: slurmstepd reads it as a job starts).
     */
    private static <T> T withPlugstackArgument(String argument, Callable<T> jobs) throws Exception {
        writePlugstack(plugstackLine + " " + argument);
        try {
            return jobs.call();
        } finally {
            writePlugstack(plugstackLine);
        }
    }

    private static void writePlugstack(String line) throws IOException {
        Path next = plugstack.resolveSibling("plugstack.conf.next");
        Files.writeString(next, line + "\n");
        Files.move(next, plugstack, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Starts {@link PilotServiceDriver} on the site's configuration as the unprivileged user (stderr,
     * its log, to {@code log}) and waits, bounded, until it listens on {@link #serviceSocket}.
     */
    private static Process startPilotService(Path log) throws Exception {
        List<String> argv = new ArrayList<>(Unprivileged.as(shared));
        argv.addAll(List.of(javaCommand, "-XX:-UsePerfData", "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp",
                classPath, PilotServiceDriver.class.getName(),
                conf.toString()));
        Process p = new ProcessBuilder(argv).directory(shared.toFile()).redirectError(log.toFile()).start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = ready.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            line = null;
        }
        if (!(PilotServiceDriver.READY + serviceSocket).equals(line)) {
            stopPilotService(p);
            throw new AssertionError("the pilot service did not start: " + line + serviceLog(log));
        }
        try {
            assertEquals(Unprivileged.USER, p.info().user().orElse("?"), "the service runs as the unprivileged user");
            assertTrue(p.info().command().orElse("").endsWith("/java"), "setpriv and env exec'd into java: " + p.info());
        } catch (AssertionError e) {
            stopPilotService(p);
            throw e;
        }
        return p;
    }

    /** SIGTERM to the driver's PID (setpriv and env exec into java), bounded wait; answers its exit code. */
    private static int stopPilotService(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.toHandle().destroy(); // SIGTERM only: Process.destroy() would also close its stdin
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        return p.isAlive() ? -1 : p.exitValue();
    }

    /** Waits, bounded, until the log has a line that {@code line} finds. */
    private static void awaitLog(Path log, Pattern line, Duration limit) throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            String text = Files.readString(log);
            if (text.lines().anyMatch(l -> line.matcher(l).find())) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the pilot service's log has no line like " + line + " after " + limit + ":\n"
                        + text);
            }
            Thread.sleep(100);
        }
    }

    private static long count(String text, String lineRegex) {
        Pattern p = Pattern.compile(lineRegex);
        return text.lines().filter(l -> p.matcher(l).find()).count();
    }

    private static String serviceLog(Path log) {
        try {
            return "\npilot service log:\n" + Files.readString(log);
        } catch (IOException e) {
            return "\n(no pilot service log: " + e.getMessage() + ")";
        }
    }

    private static String hostKernel() {
        return RUN.runChecked(Command.of(Duration.ofSeconds(5), "uname", "-r")).stdoutText().strip();
    }
}
