package org.vmgrid.unixsocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket plumbing over real unix sockets, with this process as every client. */
class UnixSocketServiceTest {

    @TempDir
    Path tmp;

    private final BlockingQueue<Connection> served = new ArrayBlockingQueue<>(16);
    private final CountDownLatch release = new CountDownLatch(1);

    /** Takes each connection, says hello, then holds it until released. */
    private final UnixSocketService.Handler holding = new UnixSocketService.Handler() {
        @Override
        public void serve(Connection c) {
            served.add(c);
            c.out().offer("hello\n".getBytes(StandardCharsets.US_ASCII));
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public byte[] refusal(String reason) {
            return ("refused: " + reason + "\n").getBytes(StandardCharsets.UTF_8);
        }
    };

    private UnixSocketService service(Path socket, int max, int perUser, Duration grace, UnixSocketService.Handler h)
            throws IOException {
        return new UnixSocketService(socket, PosixFilePermissions.fromString("rw-rw-rw-"), "test service",
                new UnixSocketService.Limits(max, perUser, 1 << 16, grace), h);
    }

    private static SocketChannel connect(Path socket) throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    private static String readAll(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (ch.read(b) >= 0 && b.hasRemaining()) {
            // until the service closes
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void theServiceKnowsEachClientByTheKernelsCredentials() throws Exception {
        Path sock = tmp.resolve("s.sock");
        try (UnixSocketService s = service(sock, 4, 4, Duration.ofSeconds(5), holding); SocketChannel ch = connect(sock)) {
            Connection c = served.poll(30, TimeUnit.SECONDS);
            assertTrue(c != null, "served");
            assertEquals(ProcessHandle.current().pid(), c.peer().pid());
            assertEquals((int) (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"), c.peer().uid());
            assertEquals((int) (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid"), c.peer().gid());
            assertEquals(System.getProperty("user.name"), c.peer().name());
            assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            release.countDown();
        }
        assertFalse(Files.exists(sock), "the socket is removed");
    }

    @Test
    void aUserOverItsLimitIsRefusedWithTheReasonAndWhenOneOfItsConnectionsEndsItIsServedAgain() throws Exception {
        Path sock = tmp.resolve("s.sock");
        try (UnixSocketService s = service(sock, 8, 2, Duration.ofSeconds(5), holding)) {
            List<SocketChannel> mine = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                mine.add(connect(sock));
                assertTrue(served.poll(30, TimeUnit.SECONDS) != null);
            }
            try (SocketChannel third = connect(sock)) {
                String answer = readAll(third);
                assertTrue(answer.startsWith("refused: the test service at " + sock + " is busy for "
                        + System.getProperty("user.name") + ": 2 of its connections are open (at most 2 per user)"),
                        answer);
            }
            assertEquals(2, s.connections((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
            release.countDown(); // both handlers return
            for (SocketChannel c : mine) {
                assertEquals("hello\n", readAll(c));
                c.close();
            }
            try (SocketChannel again = connect(sock)) {
                assertTrue(served.poll(30, TimeUnit.SECONDS) != null, "served again once its connections ended");
            }
        }
    }

    @Test
    void aLiveServiceIsNotTakenOverAndAStaleSocketIsReplaced() throws Exception {
        Path sock = tmp.resolve("s.sock");
        try (UnixSocketService s = service(sock, 4, 4, Duration.ofSeconds(5), holding)) {
            IOException e = assertThrows(IOException.class, () -> service(sock, 4, 4, Duration.ofSeconds(5), holding));
            assertTrue(e.getMessage().contains("another test service is listening on " + sock), e.getMessage());
            release.countDown();
        }
        Path stale = tmp.resolve("stale.sock");
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(stale)); // a socket file nobody listens on
        }
        service(stale, 4, 4, Duration.ofSeconds(5), holding).close();
    }

    @Test
    void theLastMessageNeverWaitsAndAClientThatDoesNotReadIsClosedAfterTheGrace() throws Exception {
        Path sock = tmp.resolve("s.sock");
        CountDownLatch handed = new CountDownLatch(1);
        UnixSocketService.Handler flooding = new UnixSocketService.Handler() {
            @Override
            public void serve(Connection c) {
                Thread producer = new Thread(() -> {
                    for (int i = 0; i < 1000 && c.out().offer(new byte[65536]); i++) {
                        // far more than the socket's buffer and the outbox hold
                    }
                });
                producer.setDaemon(true);
                producer.start();
                try {
                    producer.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                c.out().last("the end\n".getBytes(StandardCharsets.US_ASCII));
                handed.countDown();
            }

            @Override
            public byte[] refusal(String reason) {
                return new byte[0];
            }
        };
        try (UnixSocketService s = service(sock, 4, 4, Duration.ofSeconds(2), flooding); SocketChannel ch = connect(sock)) {
            assertTrue(handed.await(30, TimeUnit.SECONDS), "the final message waited on a client that does not read");
            Thread.sleep(4000); // past the grace
            ByteBuffer b = ByteBuffer.allocate(1 << 16);
            byte[] tail = new byte[0];
            while (ch.read(b.clear()) >= 0) {
                tail = java.util.Arrays.copyOf(b.array(), b.position());
            }
            assertFalse(new String(tail, StandardCharsets.US_ASCII).endsWith("the end\n"),
                    "the connection was closed after the grace, with the last message still queued behind the rest");
        }
    }

    @Test
    void aDeadlineClosesAConnectionThatOwesSomething() throws Exception {
        Path sock = tmp.resolve("s.sock");
        UnixSocketService.Handler waiting = new UnixSocketService.Handler() {
            @Override
            public void serve(Connection c) throws IOException {
                c.closeAfter(Duration.ofMillis(500));
                c.in().read(); // the client sends nothing
            }

            @Override
            public byte[] refusal(String reason) {
                return new byte[0];
            }
        };
        try (UnixSocketService s = service(sock, 4, 4, Duration.ofSeconds(5), waiting); SocketChannel ch = connect(sock)) {
            long t0 = System.nanoTime();
            assertEquals("", readAll(ch));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 20_000, "closed by its deadline");
        }
    }
}
