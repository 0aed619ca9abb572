package org.vmgrid.jdl;

/**
 * ClassAd operators with their precedence (higher binds tighter). {@code is} and {@code isnt} are
 * read as {@link #IS} and {@link #ISNT} and printed as {@code =?=} and {@code =!=}.
 */
public enum Operator {
    OR("||", 1), AND("&&", 2),
    EQ("==", 3), NE("!=", 3), IS("=?=", 3), ISNT("=!=", 3),
    LT("<", 4), LE("<=", 4), GT(">", 4), GE(">=", 4),
    PLUS("+", 5), MINUS("-", 5),
    TIMES("*", 6), DIVIDE("/", 6), MODULO("%", 6),
    NOT("!", 7), NEGATE("-", 7), UNARY_PLUS("+", 7);

    /** Precedence of unary operators; postfix selection and calls bind tighter still. */
    public static final int UNARY_PRECEDENCE = 7;

    private final String symbol;
    private final int precedence;

    Operator(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    public String symbol() {
        return symbol;
    }

    public int precedence() {
        return precedence;
    }

    public boolean isUnary() {
        return precedence == UNARY_PRECEDENCE;
    }
}
