package org.vmgrid.api;

import java.util.Locale;
import java.util.Optional;

/** What network a job's VM gets. Guests are untrusted: {@link #NONE} unless the site allows more. */
public enum NetworkMode {
    /** No network device at all. */
    NONE("none"),
    /** Outbound connections only, through user-mode networking; nothing can connect in. */
    OUTBOUND("outbound");

    private final String keyword;

    NetworkMode(String keyword) {
        this.keyword = keyword;
    }

    /** The keyword used in JDL and site configuration ({@code none}, {@code outbound}). */
    public String keyword() {
        return keyword;
    }

    /** Parses a keyword case-insensitively; empty when it names no mode. */
    public static Optional<NetworkMode> fromKeyword(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String k = text.trim().toLowerCase(Locale.ROOT);
        for (NetworkMode m : values()) {
            if (m.keyword.equals(k)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
