package org.vmgrid.pilot.internal.cache;

import java.nio.file.Path;

/**
 * A verified, read-only base image in the cache, kept from eviction until closed.
 *
 * @param base the cached file
 * @param format {@code qcow2} or {@code raw}, read from the file's header
 */
public record ImageLease(Path base, String format, AutoCloseable use) implements AutoCloseable {

    @Override
    public void close() {
        try {
            use.close();
        } catch (Exception e) {
            // the lock goes with the process at the latest; nothing a job can do about it
        }
    }
}
