package org.vmgrid.pilot.internal.cache;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/** Where image bytes come from. Our small interface over files and HTTP: unit tests fake it. */
public interface ImageSource {

    /** Opens the image at {@code uri} for reading from its first byte. */
    InputStream open(URI uri) throws IOException;
}
