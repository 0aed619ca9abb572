package org.vmgrid.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vmgrid.decision.ImageTag;
import org.vmgrid.decision.ReservedTerms;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.JdlSyntaxException;
import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/**
 * A JDL's {@code CERequirements}, the expression CREAM hands to BLAH: read as an expression (the
 * usual string holding one, or an expression written directly) and taken apart into the terms of
 * its top-level {@code &&} chain.
 */
public final class CeRequirements {

    /** The attribute, looked up ignoring case. */
    public static final String ATTRIBUTE = "CERequirements";

    private CeRequirements() {
    }

    /**
     * The JDL's {@code CERequirements} as an expression; empty when it has none or a blank string.
     *
     * @throws JdlSyntaxException when its string holds no valid expression
     */
    public static Optional<Expr> expression(ClassAd jdl) {
        Optional<Expr> e = jdl.get(ATTRIBUTE);
        if (e.isPresent() && e.get() instanceof Expr.Literal lit && lit.value() instanceof Value.Str s) {
            return s.value().isBlank() ? Optional.empty() : Optional.of(Jdl.parseExpression(s.value()));
        }
        return e;
    }

    /** The terms of the top-level {@code &&} chain, left to right; the expression itself when it is no {@code &&}. */
    public static List<Expr> conjuncts(Expr e) {
        List<Expr> out = new ArrayList<>();
        if (e instanceof Expr.Binary b && b.op() == Operator.AND) {
            out.addAll(conjuncts(b.left()));
            out.addAll(conjuncts(b.right()));
        } else {
            out.add(e);
        }
        return out;
    }

    /** True for {@code Member("VM-IMAGE-...", other.GlueHostApplicationSoftwareRunTimeEnvironment)} (names ignoring case). */
    public static boolean isImageTagTerm(Expr e) {
        return e instanceof Expr.Call c && c.name().toLowerCase(Locale.ROOT).equals("member") && c.args().size() == 2
                && c.args().get(0) instanceof Expr.Literal l && l.value() instanceof Value.Str s && ImageTag.isTag(s.value())
                && c.args().get(1) instanceof Expr.AttributeRef r && r.scope() != Expr.Scope.SELF
                && r.name().equalsIgnoreCase(ReservedTerms.TAG_ATTRIBUTE);
    }
}
