package org.vmgrid.config;

import java.nio.file.Path;
import org.vmgrid.api.VmgridException;

/** A site configuration that cannot be used, with where and why. */
public class ConfigException extends VmgridException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A bad value: {@code FILE:LINE: KEY = 'VALUE' is not allowed: ALLOWED}.
     *
     * @param line 1-based line, or 0 when the key is not in the file
     */
    public static ConfigException badValue(Path file, int line, String key, String value, String allowed) {
        String where = line > 0 ? file + ":" + line : file.toString();
        return new ConfigException(where + ": " + key + " = '" + printable(value) + "' is not allowed: " + allowed);
    }

    /** Shows control characters and non-ASCII as escapes so that a message stays one honest line. */
    public static String printable(String value) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length() && b.length() < 200; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return value.length() > 200 ? b + "..." : b.toString();
    }
}
