package org.vmgrid.pilot.internal.cache;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Fetches {@code file:}, {@code http:} and {@code https:} URIs; anything else is refused. */
public final class UriImageSource implements ImageSource {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    @Override
    public InputStream open(URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file":
                return Files.newInputStream(Path.of(uri));
            case "http":
            case "https":
                return get(uri);
            default:
                throw new IOException("unsupported scheme '" + scheme + "' (only file, http and https)");
        }
    }

    private InputStream get(URI uri) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET().build();
        try {
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                throw new IOException("HTTP status " + r.statusCode());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
