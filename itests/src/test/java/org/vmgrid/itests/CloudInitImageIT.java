package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmgrid.testing.CapturedProcess;
import org.vmgrid.testing.PrivateLibvirt;
import org.vmgrid.testing.TestSite;
import org.vmgrid.testing.Unprivileged;

/**
 * An unmodified Debian 12 cloud-init system, built here from Debian's packages with no vmgrid file
 * in it and Debian's {@code -cloud} kernel (no 9p), runs a grid payload through {@code vmgrid pilot
 * run} under plain QEMU: the pilot delivers its guest agent through the NoCloud seed, after the
 * user's own {@code #cloud-config}, and carries the job directory on disks; in the pilot's own process
 * as the job's user, and through the pilot service for a pool account's client.
 */
class CloudInitImageIT {

    private static final String USER_DATA = """
            #cloud-config
            write_files:
              - path: /etc/from-user-data
                content: "written by the user's write_files\\n"
            runcmd:
              - [sh, -c, "echo the user runcmd ran > /etc/from-runcmd"]
            """;

    private static DebianCloudImage image;
    private static PrivateLibvirt libvirt;
    private static Path shared;
    private static String classPath;
    private Path root;
    private Path conf;
    private Path work;

    @BeforeAll
    static void buildTheImageAndStartLibvirt() throws Exception {
        image = DebianCloudImage.keptOrBuilt(Path.of(System.getProperty("vmgrid.target.dir", "target")));
        System.out.println("CloudInitImageIT: Debian 12 cloud-init image " + image.size + " bytes, built in "
                + image.buildTime.toSeconds() + " s (0: kept from an earlier run of this tree)");
        shared = Unprivileged.newDirectory("vmgrid-cloud-it");
        classPath = Unprivileged.readableClassPath(Files.createDirectories(shared.resolve("classpath")));
        Unprivileged.own(shared);
        libvirt = PrivateLibvirt.start(Unprivileged.GROUP);
    }

    @AfterAll
    static void stopLibvirt() throws Exception {
        try {
            if (libvirt != null) {
                libvirt.close();
            }
        } finally {
            Unprivileged.deleteTree(shared);
        }
    }

    @BeforeEach
    void site() throws IOException {
        root = Unprivileged.newDirectory("vmgrid-cloud-site");
        conf = Files.createDirectories(root.resolve("conf"));
        work = Files.createDirectories(root.resolve("work"));
        Path list = conf.resolve("imagelist.json");
        Files.writeString(list, TestSite.imageList(image.uuid.toString(), image.file.toUri(), image.size, image.sha512));
        Files.writeString(conf.resolve("images.properties"), "catalogs = " + list + "\ntrust.unsigned = true\n"
                + "cloud-init.images = " + image.uuid + "\n");
        Files.writeString(conf.resolve("pilot.properties"), "hypervisor = qemu\nlibvirt.uri = " + libvirt.uri
                + "\ncache.dir = " + root.resolve("cache") + "\ncache.max.bytes = 4294967296\nslots = 1\n"
                + "boot.timeout = 1200\nstate.dir = " + root.resolve("state") + "\naccounting.file = "
                + root.resolve("accounting.jsonl") + "\n");
        Files.writeString(conf.resolve("limits.properties"), "memory.default = 512\nmemory.max = 1024\n");
        Unprivileged.own(root);
    }

    @AfterEach
    void nothingLeft() throws IOException {
        try {
            assertEquals(List.of(), libvirt.domains(), "no domain left behind");
            Path state = root.resolve("state");
            if (Files.exists(state)) {
                try (Stream<Path> s = Files.list(state)) {
                    assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().startsWith(".")).toList(),
                            "no job files (overlay, seed, job directory disks) left behind");
                }
            }
        } finally {
            Unprivileged.deleteTree(root);
        }
    }

    private CapturedProcess pilotRun(Path userData, String... payload) throws IOException {
        List<String> argv = new ArrayList<>(Unprivileged.as(root));
        argv.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:-UsePerfData",
                "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", classPath, "org.vmgrid.cli.Main",
                "pilot", "run", "--config-dir", conf.toString(), "--image", image.uuid.toString(),
                "--workdir", work.toString(), "--timeout", "600", "--user-data", userData.toString(),
                "--env", "GREETING=it's $(not run) \"quoted\""));
        argv.add("--");
        argv.addAll(List.of(payload));
        return CapturedProcess.start(new ProcessBuilder(argv));
    }

    @Test
    void aStockDebianCloudImageRunsThePayloadAppliesTheUsersCloudConfigAndReturnsOutputFilesAndExitCode()
            throws Exception {
        Files.writeString(work.resolve("input.txt"), "from the host\n");
        Path userData = Files.writeString(root.resolve("user-data"), USER_DATA);
        Unprivileged.own(root);
        long t0 = System.nanoTime();
        CapturedProcess p = pilotRun(userData, "sh", "-c", "uname -r; grep -cw 9p /proc/filesystems;"
                + " cat input.txt /etc/from-user-data /etc/from-runcmd; printf '%s|\\n' \"$GREETING\";"
                + " echo made in the guest > output.txt; mkdir -p sub; echo nested > sub/file;"
                + " echo to-stderr >&2; exit 7");
        int code = p.await(Duration.ofMinutes(25));
        System.out.println("CloudInitImageIT: the job (image verified into the cache, boot, cloud-init, payload, "
                + "power-off) took " + Duration.ofNanos(System.nanoTime() - t0).toSeconds() + " s");
        assertEquals(7, code, p.output());
        List<String> out = p.stdout().lines().toList();
        assertTrue(out.get(0).endsWith("-cloud-amd64"), "Debian's cloud kernel ran the payload: " + out);
        assertEquals("0", out.get(1), "that kernel has no 9p: the job directory came on disks");
        assertEquals(List.of("from the host", "written by the user's write_files", "the user runcmd ran",
                "it's $(not run) \"quoted\"|"), out.subList(2, out.size()), p.output());
        assertTrue(p.stderr().contains("to-stderr"), p.stderr());
        assertEquals("made in the guest\n", Files.readString(work.resolve("output.txt")));
        assertEquals("nested\n", Files.readString(work.resolve("sub/file")));
        assertEquals("from the host\n", Files.readString(work.resolve("input.txt")));
        String acct = Files.readString(root.resolve("accounting.jsonl"));
        assertTrue(acct.contains("\"image\":\"" + image.uuid + "\"") && acct.contains("\"exitCode\":7"), acct);
    }

    /**
     * The same image through the resident pilot service ({@code ./vmgrid serve}, as its own
     * unprivileged account) for a client run as the pool account, as a worker node's batch hooks run
     * it: the client packs the pool account's private job directory and unpacks what came back; the
     * service never reads or writes that directory.
     */
    @Test
    void theSameImageRunsAJobThroughThePilotServiceAsThePoolAccount() throws Exception {
        Path socket = Files.createDirectories(root.resolve("run")).resolve("pilot.sock");
        Files.writeString(conf.resolve("pilot.properties"), "service.socket = " + socket + "\n",
                StandardOpenOption.APPEND);
        Path home = Files.createDirectories(root.resolve("home"));
        Unprivileged.own(root);
        Path poolWork = Unprivileged.poolJobDirectory(root, "pool-work");
        Unprivileged.ownByPool(Files.writeString(poolWork.resolve("input.txt"), "the pool account's input\n"));
        CapturedProcess serve = CapturedProcess.start(new ProcessBuilder(launcher(Unprivileged.as(home), "serve",
                "--config-dir", conf.toString(), "--storage", root.resolve("felix").toString()))
                .directory(PilotServiceIT.ROOT.toFile()));
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!serve.stderr().contains("vmgrid pilot service: taking jobs on " + socket) && serve.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(serve.stderr().contains("vmgrid pilot service: taking jobs on " + socket), serve.output());
            CapturedProcess c = CapturedProcess.start(new ProcessBuilder(launcher(Unprivileged.asPool(home), "pilot",
                    "run", "--service", socket.toString(), "--image", image.uuid.toString(), "--workdir",
                    poolWork.toString(), "--timeout", "600", "--", "sh", "-c", "uname -r; grep -cw 9p /proc/filesystems;"
                    + " cat input.txt; echo made for the pool > output.txt; mkdir -p sub; echo nested > sub/file;"
                    + " ln -s /etc/shadow sub/escape; exit 5")).directory(PilotServiceIT.ROOT.toFile()));
            assertEquals(5, c.await(Duration.ofMinutes(25)), c.output() + "\nservice: " + serve.stderr());
            List<String> out = c.stdout().lines().toList();
            assertTrue(out.get(0).endsWith("-cloud-amd64"), "Debian's cloud kernel ran the payload: " + out);
            assertEquals(List.of("0", "the pool account's input"), out.subList(1, out.size()), c.output());
            assertEquals("made for the pool\n", Files.readString(poolWork.resolve("output.txt")));
            assertEquals("nested\n", Files.readString(poolWork.resolve("sub/file")));
            assertFalse(Files.exists(poolWork.resolve("sub/escape"), LinkOption.NOFOLLOW_LINKS), "no link comes back");
            assertTrue(c.stderr().contains("not taken back from the guest: sub/escape (a symbolic link)"), c.stderr());
            try (Stream<Path> files = Files.walk(poolWork)) {
                for (Path f : files.toList()) {
                    assertEquals(Unprivileged.POOL, Files.getOwner(f, LinkOption.NOFOLLOW_LINKS).getName(),
                            "the job directory is the pool account's alone: " + f);
                }
            }
            // the record is written once the VM is torn down, which goes on after the client has its result
            Path acct = root.resolve("accounting.jsonl");
            long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!(Files.exists(acct) && Files.readString(acct).contains("\"exitCode\":5"))
                    && System.nanoTime() < until) {
                Thread.sleep(500);
            }
            String record = Files.exists(acct) ? Files.readString(acct) : "no accounting file; " + serve.stderr();
            assertTrue(record.contains("\"user\":\"" + Unprivileged.POOL + "\"") && record.contains("\"exitCode\":5"),
                    record);
        } finally {
            serve.sigterm();
            if (!serve.process().waitFor(30, TimeUnit.SECONDS)) {
                serve.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** argv of the repository's launcher, run by {@code as} (a setpriv prefix). */
    private static List<String> launcher(List<String> as, String... args) {
        List<String> argv = new ArrayList<>(as);
        argv.add(PilotServiceIT.ROOT.resolve("vmgrid").toString());
        argv.addAll(List.of(args));
        return argv;
    }

    @Test
    void userDataThatIsItselfAMimeMessageIsRefusedBeforeAnyVm() throws Exception {
        Path userData = Files.writeString(root.resolve("user-data"),
                "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/x-shellscript\n\n#!/bin/sh\n--b--\n");
        Unprivileged.own(root);
        CapturedProcess p = pilotRun(userData, "true");
        assertEquals(64, p.await(Duration.ofMinutes(5)), p.output());
        assertTrue(p.stderr().contains("is a MIME message"), p.stderr());
    }
}
