package org.vmgrid.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * A loopback HTTP server of one image that fails as real servers do: it serves the image whole,
 * cuts the connection after half of the announced body ({@link Mode#CUT}), or serves a shorter
 * file whole ({@link Mode#TRUNCATED}). Stopped by {@link #close()}.
 */
public final class ImageServer implements AutoCloseable {

    /** How the next requests are answered. */
    public enum Mode {
        /** The whole image. */
        WHOLE,
        /** The whole image announced, half of it sent, then the connection closed. */
        CUT,
        /** The first half of the image, announced and sent as if it were the whole file. */
        TRUNCATED
    }

    private final HttpServer http;
    private volatile Mode mode = Mode.WHOLE;

    private ImageServer(HttpServer http) {
        this.http = http;
    }

    /** Serves {@code image} at {@link #uri()} on a free loopback port. */
    public static ImageServer serve(byte[] image) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ImageServer server = new ImageServer(http);
        http.createContext("/image", ex -> {
            Mode m = server.mode;
            int length = m == Mode.WHOLE ? image.length : image.length / 2;
            ex.sendResponseHeaders(200, m == Mode.TRUNCATED ? length : image.length);
            OutputStream body = ex.getResponseBody();
            body.write(image, 0, length);
            body.flush();
            ex.close(); // after a short body (CUT): the connection goes before the announced end
        });
        http.start();
        return server;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/image");
    }

    /** How the next requests are answered. */
    public void mode(Mode next) {
        mode = next;
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
