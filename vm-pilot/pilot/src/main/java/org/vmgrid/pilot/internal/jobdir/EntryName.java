package org.vmgrid.pilot.internal.jobdir;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one rule for a name that comes back from a guest: a relative path inside the job directory,
 * of plain components (no {@code ..}, no {@code .}, none empty), printable (no control character),
 * at most 4096 bytes and 255 per component. A leading {@code ./} and a trailing {@code /} are
 * dropped. Checked where the archive is read and again where files are written.
 */
public final class EntryName {

    private EntryName() {
    }

    /**
     * The name in its checked form, empty for the job directory itself ({@code .} or {@code ./}).
     *
     * @throws IllegalArgumentException saying why the name is refused
     */
    public static Optional<String> check(String raw) {
        String n = raw;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        while (n.endsWith("/") && n.length() > 1) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.isEmpty() || n.equals(".")) {
            return Optional.empty();
        }
        if (n.getBytes(StandardCharsets.UTF_8).length > 4096) {
            throw new IllegalArgumentException("a name longer than 4096 bytes");
        }
        if (n.startsWith("/")) {
            throw new IllegalArgumentException("an absolute path");
        }
        if (n.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("a name with a control character");
        }
        for (String part : n.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("a name with an empty, '.' or '..' component");
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("a name component longer than 255 bytes");
            }
        }
        return Optional.of(n);
    }
}
