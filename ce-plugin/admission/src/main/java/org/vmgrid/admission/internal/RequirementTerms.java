package org.vmgrid.admission.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.vmgrid.decision.ImageTag;
import org.vmgrid.decision.ReservedTerms;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Value;

/**
 * Every attribute name and string literal of a requirement expression, walked as BLAH's unwinder
 * walks it (the whole tree), and what {@link ReservedTerms} says of them.
 *
 * @param names attribute names, in order of appearance
 * @param strings string literals, in order of appearance
 */
public record RequirementTerms(List<String> names, List<String> strings) {

    public RequirementTerms {
        names = List.copyOf(names);
        strings = List.copyOf(strings);
    }

    /** The names and strings of the given terms. */
    public static RequirementTerms of(List<Expr> terms) {
        List<String> names = new ArrayList<>();
        List<String> strings = new ArrayList<>();
        Deque<Expr> todo = new ArrayDeque<>();
        for (int i = terms.size() - 1; i >= 0; i--) {
            todo.push(terms.get(i));
        }
        while (!todo.isEmpty()) {
            Expr e = todo.pop();
            List<Expr> children = new ArrayList<>();
            if (e instanceof Expr.Literal l && l.value() instanceof Value.Str s) {
                strings.add(s.value());
            } else if (e instanceof Expr.AttributeRef r) {
                names.add(r.name());
            } else if (e instanceof Expr.Select s) {
                children.add(s.base());
                names.add(s.name());
            } else if (e instanceof Expr.Subscript s) {
                children.add(s.base());
                children.add(s.index());
            } else if (e instanceof Expr.Unary u) {
                children.add(u.operand());
            } else if (e instanceof Expr.Binary b) {
                children.add(b.left());
                children.add(b.right());
            } else if (e instanceof Expr.Conditional c) {
                children.add(c.condition());
                children.add(c.then());
                children.add(c.otherwise());
            } else if (e instanceof Expr.Call c) {
                children.addAll(c.args());
            } else if (e instanceof Expr.ListExpr l) {
                children.addAll(l.items());
            } else if (e instanceof Expr.RecordExpr r) {
                for (ClassAd.Attribute a : r.ad().attributes()) {
                    names.add(a.name());
                    children.add(a.expr());
                }
            }
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.push(children.get(i));
            }
        }
        return new RequirementTerms(names, strings);
    }

    /** The first name of the given kind. */
    public Optional<String> first(ReservedTerms.Kind kind) {
        return names.stream().filter(n -> ReservedTerms.classify(n).filter(k -> k == kind).isPresent()).findFirst();
    }

    /** The first string literal holding a {@code VM-IMAGE-} tag. */
    public Optional<String> imageTag() {
        return strings.stream().filter(ImageTag::isTag).findFirst();
    }
}
