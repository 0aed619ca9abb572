package org.vmgrid.cream;

import java.util.ArrayList;
import java.util.List;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/**
 * Test fixture: what BLAH's classad_binary_op_unwind makes of a CERequirements expression: the
 * {@code attribute OP literal} terms of its top-level {@code &&} chain as {@code Attr='v'},
 * {@code Attr_Min}, {@code Attr_Max}, and {@code Member("x", other.Attr)} as {@code Attr[i]='x'}.
 */
public final class BlahUnwinder {

    /** One unwound variable. */
    public record Assignment(String name, String value) {
    }

    private BlahUnwinder() {
    }

    public static List<Assignment> unwind(String requirement) {
        List<Assignment> out = new ArrayList<>();
        walk(Jdl.parseExpression(requirement), out);
        return out;
    }

    private static void walk(Expr e, List<Assignment> out) {
        if (e instanceof Expr.Binary b && b.op() == Operator.AND) {
            walk(b.left(), out);
            walk(b.right(), out);
        } else if (e instanceof Expr.Binary b && b.left() instanceof Expr.AttributeRef r && b.right() instanceof Expr.Literal l) {
            String v = literal(l.value());
            switch (b.op()) {
                case EQ, IS -> out.add(new Assignment(r.name(), v));
                case GT, GE -> out.add(new Assignment(r.name() + "_Min", v));
                case LT, LE -> out.add(new Assignment(r.name() + "_Max", v));
                default -> { }
            }
        } else if (e instanceof Expr.Call c && c.name().equalsIgnoreCase("member") && c.args().size() == 2
                && c.args().get(0) instanceof Expr.Literal l && c.args().get(1) instanceof Expr.AttributeRef r) {
            long i = out.stream().filter(a -> a.name().startsWith(r.name() + "[")).count();
            out.add(new Assignment(r.name() + "[" + i + "]", literal(l.value())));
        }
    }

    private static String literal(Value v) {
        return v instanceof Value.Str s ? s.value() : v instanceof Value.Int i ? Long.toString(i.value()) : String.valueOf(v);
    }
}
