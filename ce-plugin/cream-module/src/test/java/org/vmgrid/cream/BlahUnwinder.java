package org.vmgrid.cream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.Value;

/**
 * Test fixture: what BLAH's classad_binary_op_unwind makes of a CERequirements expression, as the
 * request files its real unwinder wrote show (ce-plugin/blah-service/src/test/resources/blah-requests):
 * the WHOLE expression tree is walked (also under {@code ||}, {@code !} and inside calls); every
 * {@code attribute OP literal} term is written, {@code ==}/{@code =?=} as {@code Attr}, {@code >}/{@code >=}
 * as {@code Attr_Min}, {@code <}/{@code <=} as {@code Attr_Max} (strings only with {@code ==}/{@code =?=});
 * {@code Member(literal, other.Attr)} as {@code Attr[i]}, counted per attribute. String values keep
 * their ClassAd double quotes and lose their single quotes; integers are bare.
 */
public final class BlahUnwinder {

    /** One unwound variable, as BLAH prints it into the request file. */
    public record Assignment(String name, String value) {
        /** The request-file line. */
        public String line() {
            return name + "='" + value + "'";
        }
    }

    private BlahUnwinder() {
    }

    public static List<Assignment> unwind(String requirement) {
        List<Assignment> out = new ArrayList<>();
        Deque<Expr> todo = new ArrayDeque<>();
        todo.push(Jdl.parseExpression(requirement));
        while (!todo.isEmpty()) {
            Expr e = todo.pop();
            List<Expr> children = new ArrayList<>();
            if (e instanceof Expr.Binary b) {
                if (b.left() instanceof Expr.AttributeRef r && b.right() instanceof Expr.Literal l) {
                    boolean string = l.value() instanceof Value.Str;
                    switch (b.op()) {
                        case EQ, IS -> out.add(new Assignment(r.name(), literal(l.value())));
                        case GT, GE -> {
                            if (!string) {
                                out.add(new Assignment(r.name() + "_Min", literal(l.value())));
                            }
                        }
                        case LT, LE -> {
                            if (!string) {
                                out.add(new Assignment(r.name() + "_Max", literal(l.value())));
                            }
                        }
                        default -> { }
                    }
                }
                children.add(b.left());
                children.add(b.right());
            } else if (e instanceof Expr.Call c) {
                if (c.name().equalsIgnoreCase("member") && c.args().size() == 2
                        && c.args().get(0) instanceof Expr.Literal l && c.args().get(1) instanceof Expr.AttributeRef r) {
                    long i = out.stream().filter(a -> a.name().startsWith(r.name() + "[")).count();
                    out.add(new Assignment(r.name() + "[" + i + "]", literal(l.value())));
                }
                children.addAll(c.args());
            } else if (e instanceof Expr.Unary u) {
                children.add(u.operand());
            } else if (e instanceof Expr.Conditional c) {
                children.add(c.condition());
                children.add(c.then());
                children.add(c.otherwise());
            }
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.push(children.get(i));
            }
        }
        return out;
    }

    /** The request file lines of an expression, each ending in a newline. */
    public static String requestFile(String requirement) {
        return unwind(requirement).stream().map(a -> a.line() + "\n").collect(Collectors.joining());
    }

    private static String literal(Value v) {
        if (v instanceof Value.Str s) {
            return Jdl.quote(s.value()).replace("'", "");
        }
        return v instanceof Value.Int i ? Long.toString(i.value()) : String.valueOf(v);
    }
}
