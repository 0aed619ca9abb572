package org.vmgrid.jdl.internal;

import org.vmgrid.jdl.JdlSyntaxException;

/** The text being parsed; turns an offset into line, column and a snippet only when an error needs them. */
public final class SourceText {

    private static final int SNIPPET_WIDTH = 72;

    private final String text;
    private final int firstLine;

    /**
     * @param text the source
     * @param firstLine the line number of the text's first line (1 for a whole file, more for an
     *     expression taken from a string on a later line)
     */
    public SourceText(String text, int firstLine) {
        this.text = text;
        this.firstLine = firstLine;
    }

    public String text() {
        return text;
    }

    public JdlSyntaxException error(int offset, String problem) {
        offset = Math.max(0, Math.min(offset, text.length()));
        int line = firstLine;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int lineEnd = text.indexOf('\n', offset);
        if (lineEnd < 0) {
            lineEnd = text.length();
        }
        int column = offset - lineStart + 1;
        int from = Math.max(lineStart, offset - SNIPPET_WIDTH / 2);
        int to = Math.min(lineEnd, from + SNIPPET_WIDTH);
        StringBuilder shown = new StringBuilder("  ");
        StringBuilder caret = new StringBuilder("  ");
        if (from > lineStart) {
            shown.append("...");
            caret.append("   ");
        }
        for (int i = from; i < to; i++) {
            String c = printable(text.charAt(i));
            shown.append(c);
            if (i < offset) {
                caret.append(" ".repeat(c.length()));
            }
        }
        if (to < lineEnd) {
            shown.append("...");
        }
        caret.append('^');
        return new JdlSyntaxException(problem, line, column, shown + "\n" + caret);
    }

    /** A character as a message may show it: control characters and odd code points escaped. */
    public static String printable(char c) {
        if (c == '\t') {
            return " ";
        }
        if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || !Character.isDefined(c)) {
            return String.format("\\u%04x", (int) c);
        }
        return String.valueOf(c);
    }
}
