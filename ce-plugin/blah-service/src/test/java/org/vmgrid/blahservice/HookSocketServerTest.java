package org.vmgrid.blahservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.config.LimitsSection;

class HookSocketServerTest {

    @TempDir
    Path dir;

    private final HookAdmission admission = TestRenderers.admission(mock(ImageCatalog.class),
            new LimitsSection(2048, 4096, 1, 4, NetworkMode.NONE, 16384, 256));

    private static String ask(Path socket, String request) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            c.shutdownOutput();
            return new String(readAll(c), StandardCharsets.US_ASCII);
        }
    }

    private static byte[] readAll(SocketChannel c) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(1024);
        while (c.read(b) >= 0) {
            out.write(b.array(), 0, b.position());
            b.clear();
        }
        return out.toByteArray();
    }

    @Test
    void answersOneRequestPerConnectionAndRemovesItsSocket() throws IOException {
        Path socket = dir.resolve("run/hook.sock");
        try (HookSocketServer server = new HookSocketServer(socket, admission)) {
            assertEquals(socket, server.socket());
            assertEquals("", ask(socket, "vmgrid-blah-hook 1 slurm\nGlueHostApplicationSoftwareRunTimeEnvironment[0]='\"VO-x\"'\n"));
            assertTrue(ask(socket, "PATH=/tmp\0").startsWith("error vmgrid could not read the hook's request: "));
            assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(socket)));
        }
        assertFalse(Files.exists(socket));
    }

    @Test
    void replacesAStaleSocketButNeverALiveOne() throws IOException {
        Path socket = dir.resolve("hook.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket));
        try (HookSocketServer server = new HookSocketServer(socket, admission)) {
            HookServiceException e = assertThrows(HookServiceException.class, () -> new HookSocketServer(socket, admission));
            assertTrue(e.getMessage().contains("another BLAH hook service is listening on " + socket), e.getMessage());
            assertEquals("", ask(server.socket(), "vmgrid-blah-hook 1 pbs\n"));
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // a hang guard only: without the request deadline this test never ends
    void clientsThatNeverFinishTheirRequestDoNotHoldTheService() throws IOException {
        Path socket = dir.resolve("slow.sock");
        try (HookSocketServer server = new HookSocketServer(socket, admission, java.time.Duration.ofMillis(200))) {
            java.util.List<SocketChannel> silent = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    silent.add(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
                }
                assertEquals("", ask(server.socket(), "vmgrid-blah-hook 1 sge\n"));
                assertEquals(-1, silent.get(0).read(ByteBuffer.allocate(16)), "the silent client was cut off");
            } finally {
                for (SocketChannel c : silent) {
                    c.close();
                }
            }
        }
    }

    /**
     * The shared socket service's per-user limit: one user's open connections do not keep the others
     * out, and the one beyond it is told why; the hooks' own helper reads that refusal even though
     * the service closes without reading its request.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void oneUsersConnectionsBeyondItsLimitAreToldTheServiceIsBusy() throws IOException {
        Path socket = dir.resolve("busy.sock");
        Path request = dir.resolve("request");
        Files.writeString(request, "VmgridMemory='2048'\n");
        try (HookSocketServer server = new HookSocketServer(socket, admission)) {
            java.util.List<SocketChannel> open = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < HookSocketServer.MAX_PER_USER; i++) {
                    open.add(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
                }
                for (int i = 0; i < 5; i++) {
                    org.vmgrid.exec.CommandResult busy = client(socket, request);
                    assertEquals(0, busy.exitCode(), "the helper read the refusal");
                    assertTrue(busy.stdoutText().startsWith("error the BLAH hook service at " + socket + " is busy for "
                            + System.getProperty("user.name") + ": " + HookSocketServer.MAX_PER_USER + " of its "
                            + "connections are open"), busy.stdoutText());
                    assertFalse(busy.stdoutText().contains("print "), busy.stdoutText());
                }
                open.remove(0).close();
                long end = System.nanoTime() + 10_000_000_000L;
                String answer = "error";
                while (answer.startsWith("error") && System.nanoTime() < end) {
                    answer = client(socket, request).stdoutText(); // until the closed one is let go
                }
                assertTrue(answer.startsWith("print #SBATCH --vmgrid-refused=bad-request\n"), answer);
            } finally {
                for (SocketChannel c : open) {
                    c.close();
                }
            }
        }
    }

    private static org.vmgrid.exec.CommandResult client(Path socket, Path request) {
        return new org.vmgrid.exec.ProcessCommandRunner().run(org.vmgrid.exec.Command.of(java.time.Duration.ofSeconds(30),
                BlahHookHarness.CLIENT.toString(), socket.toString(), "slurm", request.toString()));
    }
}
