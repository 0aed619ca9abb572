package org.vmgrid.imagelist.internal;

/** Makes untrusted text (from a list or a grid user) safe to show on one line of a message. */
public final class Printable {

    private static final int MAX = 120;

    private Printable() {
    }

    /** Control characters and non-ASCII as {@code \\uXXXX}, cut after 120 characters. */
    public static String of(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && i < MAX; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return text.length() > MAX ? b + "..." : b.toString();
    }
}
