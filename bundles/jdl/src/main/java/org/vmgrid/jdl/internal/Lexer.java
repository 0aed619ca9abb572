package org.vmgrid.jdl.internal;

import org.vmgrid.jdl.Operator;

/**
 * Splits JDL text into tokens, one at a time, without allocating for punctuation and operators.
 * Comments are {@code // ...}, {@code # ...} and {@code /* ... *&#47;}.
 */
final class Lexer {

    private final SourceText source;
    private final String s;
    private final int n;
    private int pos;

    Token kind;
    int start;
    long intValue;
    double realValue;
    String text;
    Operator op;

    Lexer(SourceText source) {
        this.source = source;
        this.s = source.text();
        this.n = s.length();
    }

    void next() {
        skipSpaceAndComments();
        start = pos;
        if (pos >= n) {
            kind = Token.EOF;
            return;
        }
        char c = s.charAt(pos);
        if (isIdentStart(c)) {
            ident();
        } else if ((c >= '0' && c <= '9') || (c == '.' && pos + 1 < n && isDigit(s.charAt(pos + 1)))) {
            number();
        } else if (c == '"') {
            string();
        } else {
            punctuation(c);
        }
    }

    private void skipSpaceAndComments() {
        while (pos < n) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '#' || (c == '/' && pos + 1 < n && s.charAt(pos + 1) == '/')) {
                while (pos < n && s.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && pos + 1 < n && s.charAt(pos + 1) == '*') {
                int end = s.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw source.error(pos, "comment '/*' is never closed; end it with '*/'");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }

    private void ident() {
        int from = pos;
        while (pos < n && isIdentPart(s.charAt(pos))) {
            pos++;
        }
        text = s.substring(from, pos);
        kind = Token.IDENT;
        int len = pos - from;
        if (len == 4 && text.equalsIgnoreCase("true")) {
            kind = Token.TRUE;
        } else if (len == 5 && text.equalsIgnoreCase("false")) {
            kind = Token.FALSE;
        } else if (len == 9 && text.equalsIgnoreCase("undefined")) {
            kind = Token.UNDEFINED;
        } else if (len == 5 && text.equalsIgnoreCase("error")) {
            kind = Token.ERROR;
        } else if (len == 2 && text.equalsIgnoreCase("is")) {
            kind = Token.OP;
            op = Operator.IS;
        } else if (len == 4 && text.equalsIgnoreCase("isnt")) {
            kind = Token.OP;
            op = Operator.ISNT;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code 12}, {@code 1.5}, {@code .5}, {@code 1e3}, {@code 2.5E-3}; a number may not end in '.' (as in ClassAd). */
    private void number() {
        int from = pos;
        while (pos < n && isDigit(s.charAt(pos))) {
            pos++;
        }
        boolean real = false;
        if (pos < n && s.charAt(pos) == '.') {
            if (pos + 1 >= n || !isDigit(s.charAt(pos + 1))) {
                throw source.error(from, "number " + cut(s.substring(from, pos + 1)) + " ends in '.'; write "
                        + cut(s.substring(from, pos)) + ".0 for a real");
            }
            real = true;
            pos++;
            while (pos < n && isDigit(s.charAt(pos))) {
                pos++;
            }
        }
        if (pos < n && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            int e = pos + 1;
            if (e < n && (s.charAt(e) == '+' || s.charAt(e) == '-')) {
                e++;
            }
            if (e < n && s.charAt(e) >= '0' && s.charAt(e) <= '9') {
                real = true;
                pos = e;
                while (pos < n && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                    pos++;
                }
            }
        }
        if (pos < n && isIdentStart(s.charAt(pos))) {
            throw source.error(pos, "a number runs into a name; put an operator or space between them");
        }
        String digits = s.substring(from, pos);
        if (real) {
            kind = Token.REAL;
            realValue = Double.parseDouble(digits);
            if (Double.isInfinite(realValue)) {
                throw source.error(from, "number " + cut(digits) + " is too large for a real");
            }
        } else {
            kind = Token.INT;
            try {
                intValue = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw source.error(from, "whole number " + cut(digits) + " is too large; at most "
                        + Long.MAX_VALUE + " is allowed");
            }
        }
    }

    private static String cut(String digits) {
        return digits.length() > 30 ? digits.substring(0, 30) + "..." : digits;
    }

    private void string() {
        StringLiteral literal = StringLiteral.scan(source, pos);
        text = literal.value();
        pos = literal.end();
        kind = Token.STRING;
    }

    private void punctuation(char c) {
        pos++;
        char d = pos < n ? s.charAt(pos) : '\0';
        switch (c) {
            case '[' -> kind = Token.LBRACKET;
            case ']' -> kind = Token.RBRACKET;
            case '(' -> kind = Token.LPAREN;
            case ')' -> kind = Token.RPAREN;
            case '{' -> kind = Token.LBRACE;
            case '}' -> kind = Token.RBRACE;
            case ';' -> kind = Token.SEMI;
            case ',' -> kind = Token.COMMA;
            case '.' -> kind = Token.DOT;
            case '?' -> kind = Token.QUESTION;
            case ':' -> kind = Token.COLON;
            case '+' -> operator(Operator.PLUS, 0);
            case '-' -> operator(Operator.MINUS, 0);
            case '*' -> operator(Operator.TIMES, 0);
            case '/' -> operator(Operator.DIVIDE, 0);
            case '%' -> operator(Operator.MODULO, 0);
            case '<' -> operator(d == '=' ? Operator.LE : Operator.LT, d == '=' ? 1 : 0);
            case '>' -> operator(d == '=' ? Operator.GE : Operator.GT, d == '=' ? 1 : 0);
            case '!' -> operator(d == '=' ? Operator.NE : Operator.NOT, d == '=' ? 1 : 0);
            case '&' -> pair(d, '&', Operator.AND);
            case '|' -> pair(d, '|', Operator.OR);
            case '=' -> equalsSign(d);
            default -> throw source.error(start, "unexpected character '" + SourceText.printable(c)
                    + "'" + (c == '\'' ? "; strings are written in double quotes" : ""));
        }
    }

    private void operator(Operator o, int extra) {
        kind = Token.OP;
        op = o;
        pos += extra;
    }

    private void pair(char d, char want, Operator o) {
        if (d != want) {
            throw source.error(start, "operator '" + want + "' alone is not JDL; write '" + want + want + "'");
        }
        operator(o, 1);
    }

    private void equalsSign(char d) {
        if (d == '=') {
            operator(Operator.EQ, 1);
        } else if ((d == '?' || d == '!') && pos + 1 < n && s.charAt(pos + 1) == '=') {
            operator(d == '?' ? Operator.IS : Operator.ISNT, 2);
        } else {
            kind = Token.ASSIGN;
        }
    }

    /** What the current token is, for messages: its text, cut short. */
    String describe() {
        if (kind == Token.EOF) {
            return "end of input";
        }
        int end = Math.min(pos, start + 30);
        StringBuilder b = new StringBuilder("'");
        for (int i = start; i < end; i++) {
            b.append(SourceText.printable(s.charAt(i)));
        }
        return b.append(end < pos ? "...'" : "'").toString();
    }

    SourceText source() {
        return source;
    }
}
