package org.vmgrid.jdl.internal;

/**
 * Reads one double-quoted JDL string literal with its escapes ({@code \n \t \r \b \f \\ \" \' \/ \?} and
 * octal {@code \ooo}); a NUL, a raw newline or an unknown escape is a syntax error.
 *
 * @param value the string's content, escapes resolved
 * @param end the offset just after the closing quote
 */
record StringLiteral(String value, int end) {

    /** Scans the literal whose opening quote is at {@code from}. */
    static StringLiteral scan(SourceText source, int from) {
        String s = source.text();
        int n = s.length();
        int pos = from + 1;
        StringBuilder b = null;
        int chunk = pos;
        while (true) {
            if (pos >= n) {
                throw source.error(from, "string is never closed; end it with '\"'");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                break;
            }
            if (c == '\n') {
                throw source.error(from, "string is not closed on its line; end it with '\"' (write a newline as \\n)");
            }
            if (c == '\0') {
                throw source.error(pos, "a NUL character is not allowed in a string");
            }
            if (c == '\\') {
                if (b == null) {
                    b = new StringBuilder();
                }
                b.append(s, chunk, pos);
                pos = escape(source, pos, b);
                chunk = pos;
            } else {
                pos++;
            }
        }
        String value = b == null ? s.substring(chunk, pos) : b.append(s, chunk, pos).toString();
        return new StringLiteral(value, pos + 1);
    }

    /** Appends the escape at {@code at} (a backslash) and returns the offset after it. */
    private static int escape(SourceText source, int at, StringBuilder b) {
        String s = source.text();
        int n = s.length();
        if (at + 1 >= n) {
            throw source.error(at, "string ends in a lone backslash");
        }
        char e = s.charAt(at + 1);
        switch (e) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case '\\', '"', '\'', '/', '?' -> b.append(e);
            default -> {
                if (e >= '0' && e <= '7') {
                    int end = at + 1;
                    int v = 0;
                    int max = e <= '3' ? 3 : 2;
                    while (end < n && end < at + 1 + max && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
                        v = v * 8 + (s.charAt(end) - '0');
                        end++;
                    }
                    if (v == 0) {
                        throw source.error(at, "a NUL character (\\0) is not allowed in a string");
                    }
                    b.append((char) v);
                    return end;
                }
                throw source.error(at, "unknown escape '\\" + SourceText.printable(e)
                        + "' in a string; known: \\n \\t \\r \\b \\f \\\\ \\\" \\' \\/ and octal \\ooo");
            }
        }
        return at + 2;
    }
}
