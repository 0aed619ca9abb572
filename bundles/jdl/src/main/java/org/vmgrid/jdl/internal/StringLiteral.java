package org.vmgrid.jdl.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one double-quoted JDL string literal with its escapes ({@code \n \t \r \b \f \a \v \\ \" \' \/ \?}
 * and octal {@code \ooo}); a NUL, a raw newline or an unknown escape is a syntax error.
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
            case 'a' -> b.append((char) 0x07);
            case 'v' -> b.append((char) 0x0b);
            case '\\', '"', '\'', '/', '?' -> b.append(e);
            default -> {
                if (isOctal(e)) {
                    return octal(source, at, b);
                }
                throw source.error(at, "unknown escape '\\" + SourceText.printable(e)
                        + "' in a string; known: \\n \\t \\r \\b \\f \\a \\v \\\\ \\\" \\' \\/ and octal \\ooo");
            }
        }
        return at + 2;
    }

    /**
     * An octal escape: {@code \ooo} below {@code \200} is that ASCII character; escapes from {@code \200}
     * up are bytes, as in HTCondor, and a run of them must spell UTF-8 ({@code "\303\251"} is "é").
     */
    private static int octal(SourceText source, int at, StringBuilder b) {
        int[] read = readOctal(source.text(), at);
        if (read[0] == 0) {
            throw source.error(at, "a NUL character (\\0) is not allowed in a string");
        }
        if (read[0] < 0x80) {
            b.append((char) read[0]);
            return read[1];
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int end = at;
        while (read != null && read[0] >= 0x80) {
            bytes.write(read[0]);
            end = read[1];
            read = end + 1 < source.text().length() && source.text().charAt(end) == '\\'
                    && isOctal(source.text().charAt(end + 1)) ? readOctal(source.text(), end) : null;
        }
        try {
            b.append(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())));
        } catch (CharacterCodingException notUtf8) {
            throw source.error(at, "octal escapes from \\200 up are bytes and must spell UTF-8 characters; these do not"
                    + " (write the character itself, or its UTF-8 bytes such as \\303\\251 for \u00e9)");
        }
        return end;
    }

    /** The value and end offset of the octal escape whose backslash is at {@code at}: 3 digits from 0-3, else 2. */
    private static int[] readOctal(String s, int at) {
        int n = s.length();
        int end = at + 1;
        int max = s.charAt(end) <= '3' ? 3 : 2;
        int v = 0;
        while (end < n && end < at + 1 + max && isOctal(s.charAt(end))) {
            v = v * 8 + (s.charAt(end) - '0');
            end++;
        }
        return new int[] {v, end};
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }
}
