package org.vmgrid.pilot.internal.text;

/** Text from a request or a guest made safe for one line of a log or a reason: nothing in it can start a line. */
public final class Printable {

    private Printable() {
    }

    /**
     * {@code s} with every character outside printable ASCII and UTF-8 text written as an escape
     * ({@code \n}, {@code \t}, {@code \\}, {@code \x7f}, {@code \u2028}), so that it stays one
     * line however hostile, and reads back unambiguously.
     */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", c));
                    } else if (Character.getType(c) == Character.LINE_SEPARATOR
                            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
                            || (c >= 0x80 && c < 0xa0) || Character.getType(c) == Character.FORMAT) {
                        b.append(String.format("\\u%04x", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }

    /** Whether {@code s} holds a control character (C0, DEL, C1) or a line or paragraph separator. */
    public static boolean hasControl(String s) {
        return s.codePoints().anyMatch(c -> c < 0x20 || (c >= 0x7f && c < 0xa0)
                || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR);
    }
}
