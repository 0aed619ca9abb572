package org.vmgrid.jdl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/**
 * Evaluates expressions with ClassAd semantics: three-valued logic, attribute lookup outward through
 * enclosing records, {@code self.} and {@code other.}. Cost is capped: reference chains deeper than
 * {@link #MAX_DEPTH} (including cycles) and evaluations longer than {@link #MAX_STEPS} steps give
 * ERROR, so a hostile ad cannot loop or exhaust the stack. One instance per evaluation; not shared.
 */
public final class Evaluator {

    public static final int MAX_DEPTH = 300;
    public static final int MAX_STEPS = 1_000_000;

    /** Where a name is looked up: a record, its enclosing scope, and which ad of the pair it is in. */
    record Scope(ClassAd ad, Scope parent, boolean otherSide) {
    }

    private final Scope selfTop;
    private final Scope otherTop;
    private int depth;
    private int steps;

    private Evaluator(ClassAd self, ClassAd other) {
        this.selfTop = new Scope(self, null, false);
        this.otherTop = new Scope(other == null ? ClassAd.empty() : other, null, true);
    }

    /** Evaluates {@code e} in {@code self}, with {@code other} (may be null) as the match partner. */
    public static Value evaluate(Expr e, ClassAd self, ClassAd other) {
        Evaluator ev = new Evaluator(self, other);
        return ev.eval(e, ev.selfTop);
    }

    /** Evaluates an attribute of {@code self}; UNDEFINED when there is no such attribute. */
    public static Value attribute(ClassAd self, String name, ClassAd other) {
        Optional<Expr> e = self.get(name);
        return e.isEmpty() ? Value.UNDEFINED : evaluate(e.get(), self, other);
    }

    /** Evaluates an attribute of a record value found by an earlier evaluation. */
    public static Value attribute(Value.Record record, String name, ClassAd other) {
        Optional<Expr> e = record.ad().get(name);
        if (e.isEmpty()) {
            return Value.UNDEFINED;
        }
        Scope scope = record.scope() instanceof Scope s ? s : new Scope(record.ad(), null, false);
        Evaluator ev = new Evaluator(scope.ad(), other);
        return ev.eval(e.get(), scope);
    }

    Value eval(Expr e, Scope scope) {
        if (++steps > MAX_STEPS || depth >= MAX_DEPTH) {
            steps = MAX_STEPS + 1;
            return Value.ERROR;
        }
        depth++;
        try {
            return evalNode(e, scope);
        } finally {
            depth--;
        }
    }

    private Value evalNode(Expr e, Scope scope) {
        if (e instanceof Expr.Literal l) {
            return l.value();
        } else if (e instanceof Expr.AttributeRef r) {
            return reference(r, scope);
        } else if (e instanceof Expr.Binary b) {
            return binary(b, scope);
        } else if (e instanceof Expr.Unary u) {
            return Operations.unary(u.op(), eval(u.operand(), scope));
        } else if (e instanceof Expr.Conditional c) {
            Value v = Operations.truth(eval(c.condition(), scope));
            if (v instanceof Value.Bool b) {
                return eval(b.value() ? c.then() : c.otherwise(), scope);
            }
            return v instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
        } else if (e instanceof Expr.Call c) {
            List<Value> args = new ArrayList<>(c.args().size());
            for (Expr a : c.args()) {
                args.add(eval(a, scope));
            }
            return Functions.call(c.name(), args, this);
        } else if (e instanceof Expr.ListExpr l) {
            List<Value> items = new ArrayList<>(l.items().size());
            for (Expr item : l.items()) {
                items.add(eval(item, scope));
            }
            return new Value.ListValue(items, l.items());
        } else if (e instanceof Expr.RecordExpr r) {
            return new Value.Record(r.ad(), new Scope(r.ad(), scope, scope.otherSide()));
        } else if (e instanceof Expr.Select s) {
            Value base = eval(s.base(), scope);
            return member(base, s.name());
        } else if (e instanceof Expr.Subscript s) {
            return subscript(eval(s.base(), scope), eval(s.index(), scope));
        }
        return Value.ERROR;
    }

    private Value reference(Expr.AttributeRef r, Scope scope) {
        if (r.scope() == Expr.Scope.OTHER) {
            Scope target = scope.otherSide() ? selfTop : otherTop;
            return lookup(target, r.name(), false);
        }
        if (r.scope() == Expr.Scope.SELF) {
            return lookup(scope, r.name(), false);
        }
        return lookup(scope, r.name(), true);
    }

    private Value lookup(Scope scope, String name, boolean outward) {
        for (Scope s = scope; s != null; s = outward ? s.parent() : null) {
            Optional<Expr> found = s.ad().get(name);
            if (found.isPresent()) {
                return eval(found.get(), s);
            }
        }
        return Value.UNDEFINED;
    }

    /** {@code base.name}: of a record, its attribute; of a list, the list of each element's {@code .name}. */
    Value member(Value base, String name) {
        if (base instanceof Value.Record rec) {
            Scope s = rec.scope() instanceof Scope sc ? sc : new Scope(rec.ad(), null, false);
            return lookup(s, name, false);
        }
        if (base instanceof Value.ListValue list) {
            List<Value> items = new ArrayList<>(list.items().size());
            for (Value item : list.items()) {
                if (!charge(16)) {
                    return Value.ERROR;
                }
                items.add(member(item, name));
            }
            return new Value.ListValue(items);
        }
        return base instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
    }

    private Value subscript(Value base, Value index) {
        if (base instanceof Value.ListValue list && index instanceof Value.Int i) {
            return i.value() >= 0 && i.value() < list.items().size() ? list.items().get((int) i.value()) : Value.ERROR;
        }
        if (base instanceof Value.Record && index instanceof Value.Str s) {
            return member(base, s.value());
        }
        return base instanceof Value.Undefined || index instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
    }

    private Value binary(Expr.Binary b, Scope scope) {
        Operator op = b.op();
        if (op == Operator.AND || op == Operator.OR) {
            return logical(op == Operator.AND, eval(b.left(), scope), b.right(), scope);
        }
        return Operations.binary(op, eval(b.left(), scope), eval(b.right(), scope));
    }

    /**
     * ClassAd's three-valued {@code &&}/{@code ||}, short-circuiting on the deciding value; numbers
     * count as booleans (non-zero is true).
     */
    private Value logical(boolean and, Value leftValue, Expr rightExpr, Scope scope) {
        Value left = Operations.truth(leftValue);
        if (left instanceof Value.Bool lb && lb.value() != and) {
            return lb;
        }
        if (!(left instanceof Value.Bool) && !(left instanceof Value.Undefined)) {
            return Value.ERROR;
        }
        Value right = Operations.truth(eval(rightExpr, scope));
        if (right instanceof Value.Bool rb) {
            return left instanceof Value.Bool || rb.value() != and ? rb : Value.UNDEFINED;
        }
        return right instanceof Value.Undefined ? Value.UNDEFINED : Value.ERROR;
    }

    /** True once the step budget ran out: callers may stop early. */
    boolean exhausted() {
        return steps > MAX_STEPS;
    }

    /** Charges work done outside {@link #eval} (string building, regular expressions). */
    boolean charge(long work) {
        long total = steps + Math.max(0, work / 16);
        steps = (int) Math.min(total, Integer.MAX_VALUE - 1);
        return steps <= MAX_STEPS;
    }
}
