package org.vmgrid.jdl.internal;

import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/**
 * Prints ads and expressions as JDL text that parses back to an equal tree: parentheses only where
 * precedence needs them, strings escaped so that any content survives.
 */
public final class Printer {

    private final StringBuilder out;

    private Printer(StringBuilder out) {
        this.out = out;
    }

    /** A whole JDL: one attribute per line inside {@code [ ]}. */
    public static String document(ClassAd ad) {
        StringBuilder b = new StringBuilder(64 + ad.size() * 40);
        b.append("[\n");
        Printer p = new Printer(b);
        for (ClassAd.Attribute a : ad.attributes()) {
            b.append("  ").append(a.name()).append(" = ");
            p.expr(a.expr(), 0);
            b.append(";\n");
        }
        return b.append("]\n").toString();
    }

    public static String expression(Expr e) {
        StringBuilder b = new StringBuilder(32);
        new Printer(b).expr(e, 0);
        return b.toString();
    }

    /** A string literal with quotes and escapes. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        new Printer(b).string(s);
        return b.toString();
    }

    /** Prints {@code e}; {@code context} is the precedence of the surrounding operator (0: none). */
    private void expr(Expr e, int context) {
        if (e instanceof Expr.Literal l) {
            literal(l.value());
        } else if (e instanceof Expr.AttributeRef r) {
            if (r.scope() == Expr.Scope.OTHER) {
                out.append("other.");
            } else if (r.scope() == Expr.Scope.SELF) {
                out.append("self.");
            }
            out.append(r.name());
        } else if (e instanceof Expr.Select s) {
            // a number followed by '.' reads as a real or as a number ending in '.': (5).a
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
            boolean paren = context > Operator.UNARY_PRECEDENCE;
            open(paren);
            out.append(u.op().symbol());
            expr(u.operand(), Operator.UNARY_PRECEDENCE);
            close(paren);
        } else if (e instanceof Expr.Binary b) {
            int p = b.op().precedence();
            boolean paren = context > p;
            open(paren);
            expr(b.left(), p);
            out.append(' ').append(b.op().symbol()).append(' ');
            expr(b.right(), p + 1);
            close(paren);
        } else if (e instanceof Expr.Conditional c) {
            boolean paren = context > 0;
            open(paren);
            expr(c.condition(), 1);
            out.append(" ? ");
            expr(c.then(), 0);
            out.append(" : ");
            expr(c.otherwise(), 0);
            close(paren);
        } else if (e instanceof Expr.Call c) {
            out.append(c.name()).append('(');
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                expr(c.args().get(i), 0);
            }
            out.append(')');
        } else if (e instanceof Expr.ListExpr l) {
            out.append('{');
            for (int i = 0; i < l.items().size(); i++) {
                out.append(i > 0 ? ", " : " ");
                expr(l.items().get(i), 0);
            }
            out.append(l.items().isEmpty() ? "}" : " }");
        } else if (e instanceof Expr.RecordExpr r) {
            out.append('[');
            for (ClassAd.Attribute a : r.ad().attributes()) {
                out.append(' ').append(a.name()).append(" = ");
                expr(a.expr(), 0);
                out.append(';');
            }
            out.append(r.ad().size() == 0 ? "]" : " ]");
        }
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

    private void literal(Value v) {
        if (v instanceof Value.Bool b) {
            out.append(b.value());
        } else if (v instanceof Value.Int i) {
            out.append(i.value());
        } else if (v instanceof Value.Real r) {
            out.append(Double.toString(r.value()));
        } else if (v instanceof Value.Str s) {
            string(s.value());
        } else if (v instanceof Value.Undefined) {
            out.append("undefined");
        } else if (v instanceof Value.Error) {
            out.append("error");
        } else {
            throw new IllegalArgumentException("not a literal: " + v.typeName());
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append('\\').append(String.format("%03o", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
