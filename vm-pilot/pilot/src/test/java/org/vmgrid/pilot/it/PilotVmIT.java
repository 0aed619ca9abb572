package org.vmgrid.pilot.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmgrid.appliance.ApplianceBuilder;
import org.vmgrid.appliance.ApplianceSettings;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.testing.PrivateLibvirt;
import org.vmgrid.testing.TestSite;
import org.vmgrid.testing.Unprivileged;

/**
 * The pilot for real: the project's appliance booted under QEMU (TCG) through a private libvirtd
 * the test starts, by pilot processes running as an unprivileged user, as a batch job would.
 */
class PilotVmIT {

    private static Path shared;
    private static BuiltAppliance appliance;
    private static PrivateLibvirt libvirt;
    private static String classPath;
    private Path siteDir;

    @BeforeAll
    static void startLibvirtAndBuildTheAppliance() throws Exception {
        shared = Unprivileged.newDirectory("vmgrid-pilot-it");
        ApplianceSettings settings = ApplianceSettings.defaults(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH)
                .withDebCache(Path.of(System.getProperty("vmgrid.deb.cache")));
        appliance = new ApplianceBuilder(new ProcessCommandRunner(), settings).build(shared.resolve("appliance"));
        Path cp = Files.createDirectories(shared.resolve("classpath"));
        classPath = Unprivileged.readableClassPath(cp);
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
    void newSite() throws IOException {
        siteDir = Unprivileged.newDirectory("vmgrid-pilot-site");
    }

    @AfterEach
    void nothingLeft() throws IOException {
        try {
            assertEquals(List.of(), libvirt.domains(), "no domain left behind");
            Path state = siteDir.resolve("state");
            if (Files.exists(state)) {
                try (Stream<Path> s = Files.list(state)) {
                    assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().startsWith(".")).toList(),
                            "no job directory (overlay, ISOs) left behind");
                }
            }
        } finally {
            Unprivileged.deleteTree(siteDir);
        }
    }

    private TestSite site(int bootTimeout, URI uri, String uuid, long size, String sha) throws IOException {
        return new TestSite(siteDir, libvirt.uri, bootTimeout, uri, uuid, size, sha);
    }

    private TestSite rawSite(int bootTimeout, URI uri, String uuid, long size, String sha) throws IOException {
        return new TestSite(siteDir, libvirt.uri, bootTimeout, uri, uuid, size, sha, "raw");
    }

    private TestSite applianceSite() throws IOException {
        return site(300, appliance.image().toUri(), appliance.uuid().toString(), appliance.size(), appliance.sha512());
    }

    private PilotProcess pilot(TestSite s, String image, int timeout, String... cmd) throws IOException {
        return PilotProcess.start(classPath, s.root, s.conf, image, s.work(), timeout, cmd);
    }

    @Test
    void runsThePayloadInTheVmWithItsOutputFilesAndExitCode() throws Exception {
        TestSite s = applianceSite();
        Files.writeString(s.work().resolve("input.txt"), "from the host\n");
        Unprivileged.own(s.work());
        String greeting = "it's $(not run) \"quoted\"\nsecond line";
        PilotProcess p = pilot(s, appliance.uuid().toString(), 300, "--env", "GREETING=" + greeting, "sh", "-c",
                "uname -r; cat input.txt; echo made-in-guest > output.txt; echo to-stderr >&2;"
                        + " printf '%s|' \"$GREETING\"; exit 7");
        assertEquals(7, p.await(), p.stderr());
        String hostKernel = new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(5), "uname", "-r"))
                .stdoutText().strip();
        List<String> lines = p.stdout().lines().toList();
        assertEquals(appliance.kernelRelease(), lines.get(0), "the payload ran under the appliance's kernel");
        assertNotEquals(hostKernel, lines.get(0));
        assertEquals("from the host", lines.get(1));
        assertEquals(greeting + "|", String.join("\n", lines.subList(2, lines.size())),
                "the --env value reached the payload's environment intact");
        assertTrue(p.stderr().contains("to-stderr"), p.stderr());
        assertEquals("made-in-guest\n", Files.readString(s.work().resolve("output.txt")));
        String acct = Files.readString(s.accounting);
        assertTrue(acct.contains("\"image\":\"" + appliance.uuid() + "\"") && acct.contains("\"exitCode\":7")
                && acct.contains("\"hypervisor\":\"qemu\""), acct);
    }

    @Test
    void fourPilotsRacingForOneUncachedImageDownloadItOnceAndRunTogether() throws Exception {
        AtomicInteger downloads = new AtomicInteger();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/appliance.qcow2", ex -> {
            downloads.incrementAndGet();
            ex.sendResponseHeaders(200, appliance.size());
            try (OutputStream o = ex.getResponseBody()) {
                Files.copy(appliance.image(), o);
            }
        });
        http.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/appliance.qcow2");
            TestSite s = site(300, uri, appliance.uuid().toString(), appliance.size(), appliance.sha512());
            List<PilotProcess> pilots = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pilots.add(pilot(s, appliance.uuid().toString(), 300, "sh", "-c", "echo job " + i + "; exit " + i));
            }
            for (int i = 0; i < 4; i++) {
                PilotProcess p = pilots.get(i);
                assertEquals(i, p.await(), p.stderr());
                assertEquals("job " + i + "\n", p.stdout());
            }
            assertEquals(1, downloads.get(), "one download for four jobs");
            assertEquals(4, Files.readAllLines(s.accounting).size());
        } finally {
            http.stop(0);
        }
    }

    @Test
    void sigtermMidRunDestroysTheVmAndRemovesItsFiles() throws Exception {
        TestSite s = applianceSite();
        PilotProcess p = pilot(s, appliance.uuid().toString(), 300, "sh", "-c", "echo started; sleep 600");
        while (!p.stdout().contains("started") && p.process.isAlive()) {
            Thread.sleep(100);
        }
        assertTrue(p.process.isAlive(), "pilot ended before the payload was cancelled: " + p.stderr());
        p.captured.sigterm(); // to the pilot's PID
        assertEquals(143, p.await(), p.stderr());
        assertTrue(Files.readString(s.accounting).contains("\"failure\":\"cancelled\""));
    }

    @Test
    void aGuestThatNeverStartsThePayloadFailsOnTheBootTimeout() throws Exception {
        byte[] blank = new byte[1 << 20]; // a disk with no boot sector: the BIOS finds nothing to boot
        Path image = Files.write(siteDir.resolve("blank.img"), blank);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(blank));
        String uuid = UUID.randomUUID().toString();
        TestSite s = rawSite(5, image.toUri(), uuid, blank.length, sha);
        PilotProcess p = pilot(s, uuid, 300, "true");
        assertEquals(200 + FailureKind.BOOT.ordinal(), p.await(), p.stderr());
        assertTrue(p.stderr().contains("did not start the payload within 5 s"), p.stderr());
    }

    @Test
    void aCorruptImageIsQuarantinedAndNoVmIsStarted() throws Exception {
        String wrongSha = "0".repeat(128);
        TestSite s = site(300, appliance.image().toUri(), appliance.uuid().toString(), appliance.size(), wrongSha);
        PilotProcess p = pilot(s, appliance.uuid().toString(), 300, "true");
        assertEquals(200 + FailureKind.IMAGE.ordinal(), p.await(), p.stderr());
        assertTrue(p.stderr().contains("SHA-512") && p.stderr().contains("quarantined"), p.stderr());
        try (Stream<Path> q = Files.list(s.cache.resolve("quarantine"))) {
            assertEquals(1, q.count());
        }
        assertFalse(Files.list(s.cache).anyMatch(f -> f.toString().endsWith(".img")));
    }

    @Test
    void aQcow2WhoseHeaderNamesAHostFileAsItsBackingFileIsRefusedAtFetchAndNoVmIsStarted() throws Exception {
        Path secret = Files.writeString(siteDir.resolve("secret.raw"), "host secret\n".repeat(100));
        Path image = siteDir.resolve("overlay-on-a-host-file.qcow2");
        new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(60), "qemu-img", "create", "-q", "-f",
                "qcow2", "-F", "raw", "-b", secret.toString(), image.toString()));
        byte[] bytes = Files.readAllBytes(image);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
        String uuid = UUID.randomUUID().toString();
        TestSite s = site(300, image.toUri(), uuid, bytes.length, sha);
        PilotProcess p = pilot(s, uuid, 300, "cat", "/dev/vda");
        assertEquals(200 + FailureKind.IMAGE.ordinal(), p.await(), p.stderr());
        assertTrue(p.stderr().contains("its qcow2 header names a backing file") && p.stderr().contains("quarantined"),
                p.stderr());
        assertEquals("", p.stdout());
        assertFalse(Files.list(s.cache).anyMatch(f -> f.toString().endsWith(".img")));
    }
}
