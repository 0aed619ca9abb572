package org.vmgrid.jdl;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.vmgrid.jdl.internal.Evaluator;
import org.vmgrid.jdl.internal.Parser;
import org.vmgrid.jdl.internal.Printer;
import org.vmgrid.jdl.internal.SourceText;

/**
 * Entry point of the JDL library: parse, print and evaluate. Stateless and thread-safe.
 *
 * <p>Limits that keep hostile input cheap: at most {@link #MAX_BYTES} bytes (or characters) of
 * text, nesting at most {@link #MAX_DEPTH} deep, and an evaluation budget after which a value is
 * ERROR.
 */
public final class Jdl {

    /** The largest JDL accepted, in bytes (and in characters for text). */
    public static final int MAX_BYTES = 1 << 20;
    /** The deepest nesting accepted. */
    public static final int MAX_DEPTH = Parser.MAX_DEPTH;

    private Jdl() {
    }

    /** Parses a JDL: {@code [ Name = expr; ... ]} or the bare attribute list. */
    public static ClassAd parse(String text) {
        checkSize(text.length(), "characters");
        return Parser.parseDocument(new SourceText(text, 1));
    }

    /** Parses a JDL from bytes that must be strict UTF-8. */
    public static ClassAd parse(byte[] bytes) {
        return parse(decode(bytes));
    }

    /** Parses one expression (such as the text of a {@code CeRequirements} string). */
    public static Expr parseExpression(String text) {
        return parseExpression(text, 1);
    }

    /**
     * Parses one expression whose first line is line {@code firstLine} of a larger text, so that
     * error positions point into that text's lines.
     */
    public static Expr parseExpression(String text, int firstLine) {
        checkSize(text.length(), "characters");
        return Parser.parseExpression(new SourceText(text, firstLine));
    }

    /** The ad as JDL text, one attribute per line; {@code parse(print(ad))} equals {@code ad}. */
    public static String print(ClassAd ad) {
        return Printer.document(ad);
    }

    /** The expression as JDL text; {@code parseExpression(print(e))} equals a parsed {@code e}. */
    public static String print(Expr e) {
        return Printer.expression(e);
    }

    /** A string as a JDL string literal, quoted and escaped. */
    public static String quote(String s) {
        return Printer.quote(s);
    }

    /** Evaluates an attribute of the ad (UNDEFINED when absent), with no match partner. */
    public static Value evaluate(ClassAd ad, String attribute) {
        return Evaluator.attribute(ad, attribute, null);
    }

    /** Evaluates an expression in {@code self}, with {@code other} (may be null) as the match partner. */
    public static Value evaluate(Expr e, ClassAd self, ClassAd other) {
        return Evaluator.evaluate(e, self, other);
    }

    /** Evaluates an attribute of a record an earlier evaluation returned, in that record's scope. */
    public static Value evaluate(Value.Record record, String attribute) {
        return Evaluator.attribute(record, attribute, null);
    }

    private static void checkSize(int size, String unit) {
        if (size > MAX_BYTES) {
            throw new JdlSyntaxException("the JDL is " + size + " " + unit + " long; at most " + MAX_BYTES
                    + " are accepted (move large data into the input sandbox)", 1, 1, "");
        }
    }

    private static String decode(byte[] bytes) {
        checkSize(bytes.length, "bytes");
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (!r.isError()) {
            r = d.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new JdlSyntaxException(String.format("byte 0x%02x at offset %d is not valid UTF-8; save the JDL as "
                    + "UTF-8 text", bytes[at] & 0xff, at), line, at - lineStart + 1, "");
        }
        out.flip();
        return out.toString();
    }
}
