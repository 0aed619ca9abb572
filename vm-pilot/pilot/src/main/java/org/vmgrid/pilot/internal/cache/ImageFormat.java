package org.vmgrid.pilot.internal.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * An image's disk format, told from its own header (so that QEMU never guesses one: a raw image could
 * pose as qcow2), and whether a qcow2 header reaches beyond the file: a backing file or an external
 * data file named in an image would show a host file to the guest, so such an image is refused.
 */
final class ImageFormat {

    private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};
    /** qcow2 v3 incompatible features a base image may have: dirty (0), compression type (3), extended L2 (4). */
    private static final long HARMLESS_INCOMPATIBLE = (1L << 0) | (1L << 3) | (1L << 4);
    private static final long CORRUPT = 1L << 1;
    private static final long EXTERNAL_DATA_FILE = 1L << 2;

    private ImageFormat() {
    }

    /** {@code qcow2} or {@code raw}, from the first bytes. */
    static String of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(4), QCOW2_MAGIC) ? "qcow2" : "raw";
        }
    }

    /**
     * Why an image may not be booted, if it may not: its header's format is not the one its list
     * gives, or a qcow2 header names a file beyond the image or is not one QEMU may open as a base.
     *
     * @param listed the list's {@code hv:format}, empty when it gives none
     */
    static Optional<String> refusal(Path file, String listed) throws IOException {
        String header = of(file);
        if (!listed.isEmpty() && !listed.equals(header)) {
            return Optional.of("its image list says it is " + listed + " but its header says " + header
                    + (listed.equals("qcow2") || listed.equals("raw") ? "" : " (the pilot boots qcow2 and raw images)"));
        }
        if (header.equals("raw")) {
            return Optional.empty();
        }
        byte[] h;
        try (InputStream in = Files.newInputStream(file)) {
            h = in.readNBytes(104);
        }
        if (h.length < 72) {
            return Optional.of("its qcow2 header is truncated");
        }
        ByteBuffer b = ByteBuffer.wrap(h);
        int version = b.getInt(4);
        long backingOffset = b.getLong(8);
        int backingSize = b.getInt(16);
        if (version != 2 && version != 3) {
            return Optional.of("its qcow2 header has version " + version + " (2 or 3 expected)");
        }
        if (backingOffset != 0 || backingSize != 0) {
            return Optional.of("its qcow2 header names a backing file (it must be a whole image, not an overlay)");
        }
        if (version == 3) {
            if (h.length < 104) {
                return Optional.of("its qcow2 v3 header is truncated");
            }
            long incompatible = b.getLong(72);
            if ((incompatible & EXTERNAL_DATA_FILE) != 0) {
                return Optional.of("its qcow2 header names an external data file");
            }
            if ((incompatible & CORRUPT) != 0) {
                return Optional.of("its qcow2 header marks it corrupt");
            }
            if ((incompatible & ~HARMLESS_INCOMPATIBLE) != 0) {
                return Optional.of("its qcow2 header has incompatible features 0x" + Long.toHexString(incompatible));
            }
        }
        return Optional.empty();
    }
}
