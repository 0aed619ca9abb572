package org.vmgrid.jdl.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/**
 * A value as text the way HTCondor's ClassAd library writes it (its unparser), which is what
 * {@code string()}, {@code strcat()}, {@code toLower()} and {@code toUpper()} give for a non-string:
 * reals as {@code %1.15E} ({@code 1.500000000000000E+00}), lists as {@code { 1,2 }} with the elements
 * as written, records as {@code [ a = 1; b = 2 ]}, strings quoted with C escapes and every byte
 * outside printable ASCII in octal. Not {@link Printer}: that one writes JDL that parses back to the
 * same tree, reals exactly.
 */
final class ClassAdText {

    private static final MathContext SIXTEEN_DIGITS = new MathContext(16, RoundingMode.HALF_EVEN);

    /** Thrown to stop writing a text that grew past its limit. */
    private static final class TooLong extends RuntimeException {
        TooLong() {
            super(null, null, false, false);
        }
    }

    private final StringBuilder out = new StringBuilder();
    private final int max;

    private ClassAdText(int max) {
        this.max = max;
    }

    /**
     * The text of a value, or null when it would be longer than {@code max} characters (a list of
     * long strings can be far larger than the JDL that made it). UNDEFINED and ERROR are
     * {@code undefined} and {@code error}.
     */
    static String of(Value v, int max) {
        ClassAdText t = new ClassAdText(max);
        try {
            t.value(v);
        } catch (TooLong e) {
            return null;
        }
        return t.out.length() > max ? null : t.out.toString();
    }

    /** {@code %1.15E} as C's printf writes it (rounded from the exact binary value); zero as {@code 0.0}. */
    static String real(double d) {
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        if (Double.isNaN(d)) {
            return "real(\"NaN\")";
        }
        if (Double.isInfinite(d)) {
            return d < 0 ? "real(\"-INF\")" : "real(\"INF\")";
        }
        BigDecimal rounded = new BigDecimal(d).round(SIXTEEN_DIGITS);
        String digits = rounded.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - rounded.scale();
        StringBuilder b = new StringBuilder(24);
        if (d < 0) {
            b.append('-');
        }
        b.append(digits.charAt(0)).append('.').append(digits, 1, Math.min(16, digits.length()));
        for (int i = digits.length(); i < 16; i++) {
            b.append('0');
        }
        b.append('E').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        return b.append(e < 10 ? "0" : "").append(e).toString();
    }

    private void value(Value v) {
        if (out.length() > max) {
            throw new TooLong();
        }
        if (v instanceof Value.Str s) {
            string(s.value());
        } else if (v instanceof Value.Int i) {
            out.append(i.value());
        } else if (v instanceof Value.Real r) {
            out.append(real(r.value()));
        } else if (v instanceof Value.Bool b) {
            out.append(b.value());
        } else if (v instanceof Value.ListValue l) {
            out.append("{ ");
            int n = l.items().size();
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                if (l.written().isEmpty()) {
                    value(l.items().get(i));
                } else {
                    expr(l.written().get(i), 0);
                }
            }
            out.append(" }");
        } else if (v instanceof Value.Record r) {
            record(r.ad());
        } else {
            out.append(v instanceof Value.Undefined ? "undefined" : "error");
        }
    }

    private void record(ClassAd ad) {
        out.append("[ ");
        List<ClassAd.Attribute> attrs = ad.attributes();
        for (int i = 0; i < attrs.size(); i++) {
            if (i > 0) {
                out.append("; ");
            }
            out.append(attrs.get(i).name()).append(" = ");
            expr(attrs.get(i).expr(), 0);
        }
        out.append(" ]");
    }

    /**
     * An expression as HTCondor writes it. The parser keeps no parentheses, so they are written where
     * precedence needs them ({@code context} is the precedence around), as HTCondor does for an
     * expression written without redundant ones.
     */
    private void expr(Expr e, int context) {
        if (out.length() > max) {
            throw new TooLong();
        }
        if (e instanceof Expr.Literal l) {
            value(l.value());
        } else if (e instanceof Expr.AttributeRef r) {
            out.append(r.scope() == Expr.Scope.OTHER ? "other." : r.scope() == Expr.Scope.SELF ? "self." : "")
                    .append(r.name());
        } else if (e instanceof Expr.Select s) {
            boolean number = s.base() instanceof Expr.Literal l && (l.value() instanceof Value.Int
                    || l.value() instanceof Value.Real);
            open(number);
            expr(s.base(), Operator.UNARY_PRECEDENCE + 1);
            close(number);
            out.append('.').append(s.name());
        } else if (e instanceof Expr.Subscript s) {
            expr(s.base(), Operator.UNARY_PRECEDENCE + 1);
            out.append('[');
            expr(s.index(), 0);
            out.append(']');
        } else if (e instanceof Expr.Unary u) {
            unary(u, context);
        } else if (e instanceof Expr.Binary b) {
            int p = b.op().precedence();
            open(context > p);
            expr(b.left(), p);
            out.append(switch (b.op()) {
                case IS -> " is ";
                case ISNT -> " isnt ";
                default -> " " + b.op().symbol() + " ";
            });
            expr(b.right(), p + 1);
            close(context > p);
        } else if (e instanceof Expr.Conditional c) {
            open(context > 0);
            expr(c.condition(), 1);
            out.append(" ? ");
            expr(c.then(), 0);
            out.append(" : ");
            expr(c.otherwise(), 0);
            close(context > 0);
        } else if (e instanceof Expr.Call c) {
            out.append(c.name()).append('(');
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                expr(c.args().get(i), 0);
            }
            out.append(')');
        } else if (e instanceof Expr.ListExpr l) {
            out.append("{ ");
            for (int i = 0; i < l.items().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                expr(l.items().get(i), 0);
            }
            out.append(" }");
        } else if (e instanceof Expr.RecordExpr r) {
            record(r.ad());
        }
    }

    /** HTCondor reads {@code -3} as one negative number and writes other unary operators as {@code " -x"}. */
    private void unary(Expr.Unary u, int context) {
        if (u.op() == Operator.NEGATE && u.operand() instanceof Expr.Literal l) {
            if (l.value() instanceof Value.Int i && i.value() != Long.MIN_VALUE) {
                out.append(-i.value());
                return;
            }
            if (l.value() instanceof Value.Real r) {
                out.append(real(-r.value()));
                return;
            }
        }
        boolean paren = context > Operator.UNARY_PRECEDENCE;
        open(paren);
        out.append(' ').append(u.op().symbol());
        expr(u.operand(), Operator.UNARY_PRECEDENCE);
        close(paren);
    }

    private void open(boolean paren) {
        if (paren) {
            out.append('(');
        }
    }

    private void close(boolean paren) {
        if (paren) {
            out.append(')');
        }
    }

    /** A string literal as HTCondor writes it: C escapes, other bytes outside printable ASCII in octal. */
    private void string(String s) {
        out.append('"');
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0b -> out.append("\\v");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                                .append((char) ('0' + (c & 7)));
                    } else {
                        out.append((char) c);
                    }
                }
            }
        }
        out.append('"');
    }
}
