package org.vmgrid.appliance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.appliance.ApplianceBuildException;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.CommandRunner;

class DebianPackagesTest {

    private static final String FILE = "busybox-static_1%3a1.35.0-4+deb12u1+b1_amd64.deb";
    private static final byte[] DEB = "pretend deb".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path cache;

    private final CommandRunner runner = mock(CommandRunner.class);
    private final List<List<String>> ran = new ArrayList<>();
    private byte[] downloaded = DEB;

    @BeforeEach
    void setUp() {
        when(runner.runChecked(any())).thenAnswer(inv -> {
            Command c = inv.getArgument(0);
            ran.add(c.argv());
            String out = "";
            if (c.argv().equals(List.of("apt-cache", "depends", "linux-image-amd64"))) {
                out = "linux-image-amd64\n  Depends: linux-image-6.1.0-56-amd64\n  Recommends: firmware-linux-free\n";
            } else if (c.argv().contains("--print-uris")) {
                out = "'http://deb.debian.org/debian/pool/main/b/busybox/busybox-static_1.35.0-4%2bdeb12u1%2bb1_amd64.deb' "
                        + FILE + " 11 SHA256:" + sha256(DEB) + "\n";
            } else if (c.argv().equals(List.of("apt-get", "download", "busybox-static"))) {
                Files.write(c.workingDirectory().orElseThrow().resolve(FILE), downloaded);
            }
            return new CommandResult(c, 0, out.getBytes(StandardCharsets.UTF_8), new byte[0]);
        });
    }

    private DebianPackages packages() {
        return new DebianPackages(runner, cache, Duration.ofMinutes(1));
    }

    @Test
    void findsTheVersionedKernelPackage() {
        assertEquals("linux-image-6.1.0-56-amd64", packages().kernelPackage("linux-image-amd64"));
    }

    @Test
    void downloadsOnceThenUsesTheCache() throws Exception {
        Path first = packages().fetch("busybox-static");
        assertEquals(cache.resolve(FILE), first);
        assertEquals(List.of("apt-get", "download", "busybox-static"), ran.get(1));
        ran.clear();
        assertEquals(first, packages().fetch("busybox-static"));
        assertEquals(List.of(List.of("apt-get", "download", "--print-uris", "busybox-static")), ran);
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(List.of(first), left.toList(), "no partial download left behind");
        }
    }

    @Test
    void replacesACachedFileThatNoLongerMatches() throws Exception {
        Files.writeString(cache.resolve(FILE), "stale");
        Path deb = packages().fetch("busybox-static");
        assertTrue(ran.contains(List.of("apt-get", "download", "busybox-static")));
        assertEquals("pretend deb", Files.readString(deb));
    }

    @Test
    void refusesADownloadWithTheWrongChecksum() throws Exception {
        downloaded = "tampered".getBytes(StandardCharsets.US_ASCII);
        ApplianceBuildException e = assertThrows(ApplianceBuildException.class, () -> packages().fetch("busybox-static"));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertFalse(Files.exists(cache.resolve(FILE)));
    }

    @Test
    void refusesWhatIsNotAPackageName() {
        assertThrows(ApplianceBuildException.class, () -> packages().fetch("-o=Dir::Cache=/etc"));
        assertThrows(ApplianceBuildException.class, () -> packages().kernelPackage("linux image"));
        assertEquals(List.of(), ran);
    }

    @Test
    void saysWhatToDoWhenAptKnowsNoKernel() {
        doReturn(new CommandResult(Command.of(Duration.ZERO, "apt-cache"), 0, new byte[0], new byte[0]))
                .when(runner).runChecked(any());
        ApplianceBuildException e = assertThrows(ApplianceBuildException.class,
                () -> packages().kernelPackage("linux-image-amd64"));
        assertTrue(e.getMessage().contains("apt-get update"), e.getMessage());
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
