package org.vmgrid.pilot.internal.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** file: and http: against a file and an HTTP server on loopback, started and stopped by the test. */
class UriImageSourceTest {

    private final UriImageSource source = new UriImageSource();

    @Test
    void readsFileAndHttpAndRefusesAnyOtherScheme(@TempDir Path dir) throws Exception {
        Path f = Files.write(dir.resolve("img"), new byte[] {1, 2, 3});
        try (InputStream in = source.open(f.toUri())) {
            assertArrayEquals(new byte[] {1, 2, 3}, in.readAllBytes());
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/img", ex -> {
            ex.sendResponseHeaders(200, 3);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(new byte[] {4, 5, 6});
            }
        });
        http.start();
        try {
            String base = "http://127.0.0.1:" + http.getAddress().getPort();
            try (InputStream in = source.open(URI.create(base + "/img"))) {
                assertArrayEquals(new byte[] {4, 5, 6}, in.readAllBytes());
            }
            IOException e = assertThrows(IOException.class, () -> source.open(URI.create(base + "/missing")));
            assertEquals("HTTP status 404", e.getMessage());
        } finally {
            http.stop(0);
        }
        IOException e = assertThrows(IOException.class, () -> source.open(URI.create("ftp://example.org/img")));
        assertTrue(e.getMessage().contains("unsupported scheme 'ftp'"), e.getMessage());
    }
}
