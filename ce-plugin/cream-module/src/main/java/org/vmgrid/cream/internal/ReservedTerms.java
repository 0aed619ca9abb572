package org.vmgrid.cream.internal;

import java.util.Optional;
import org.vmgrid.cream.VmRequirementTerms;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Value;

/**
 * Finds, in a requirement expression, what only vmgrid or CREAM may put there: a string starting with
 * {@code VM-IMAGE-}, an attribute named {@code Vmgrid*}, or one named like the submitter's identity
 * BLAH passes to the hooks ({@code VirtualOrganisation*}, {@code x509UserProxy*}; names ignoring case).
 * BLAH would unwind them into the variables the batch hooks read, after (so over) CREAM's own values.
 */
final class ReservedTerms {

    private ReservedTerms() {
    }

    /** The first reserved term, described for a user; empty when there is none. */
    static Optional<String> find(Expr e) {
        if (e instanceof Expr.Literal l) {
            return l.value() instanceof Value.Str s && isImageTag(s.value())
                    ? Optional.of("the tag \"" + VmRequirementTerms.IMAGE_TAG_PREFIX + "...\"") : Optional.empty();
        }
        if (e instanceof Expr.AttributeRef r) {
            return reservedName(r.name());
        }
        if (e instanceof Expr.Select s) {
            return reservedName(s.name()).or(() -> find(s.base()));
        }
        if (e instanceof Expr.Subscript s) {
            return find(s.base()).or(() -> find(s.index()));
        }
        if (e instanceof Expr.Unary u) {
            return find(u.operand());
        }
        if (e instanceof Expr.Binary b) {
            return find(b.left()).or(() -> find(b.right()));
        }
        if (e instanceof Expr.Conditional c) {
            return find(c.condition()).or(() -> find(c.then())).or(() -> find(c.otherwise()));
        }
        if (e instanceof Expr.Call c) {
            return c.args().stream().map(ReservedTerms::find).flatMap(Optional::stream).findFirst();
        }
        if (e instanceof Expr.ListExpr l) {
            return l.items().stream().map(ReservedTerms::find).flatMap(Optional::stream).findFirst();
        }
        if (e instanceof Expr.RecordExpr r) {
            return r.ad().attributes().stream().map(a -> reservedName(a.name()).or(() -> find(a.expr())))
                    .flatMap(Optional::stream).findFirst();
        }
        return Optional.empty();
    }

    /** True for {@code Member("VM-IMAGE-...", other.GlueHostApplicationSoftwareRunTimeEnvironment)}. */
    static boolean isImageTagTerm(Expr e) {
        return e instanceof Expr.Call c && JdlLibraryRewriter.lower(c.name()).equals("member") && c.args().size() == 2
                && c.args().get(0) instanceof Expr.Literal l && l.value() instanceof Value.Str s && isImageTag(s.value())
                && c.args().get(1) instanceof Expr.AttributeRef r && r.scope() == Expr.Scope.OTHER
                && JdlLibraryRewriter.lower(r.name()).equals(JdlLibraryRewriter.lower(VmRequirementTerms.TAG_ATTRIBUTE));
    }

    private static boolean isImageTag(String s) {
        return s.regionMatches(true, 0, VmRequirementTerms.IMAGE_TAG_PREFIX, 0, VmRequirementTerms.IMAGE_TAG_PREFIX.length());
    }

    /** Lower-case prefixes of reserved attribute names. */
    private static final java.util.List<String> RESERVED_PREFIXES = java.util.List.of("vmgrid", "virtualorganisation",
            "x509userproxy");

    private static Optional<String> reservedName(String name) {
        String lower = JdlLibraryRewriter.lower(name);
        return RESERVED_PREFIXES.stream().anyMatch(lower::startsWith) ? Optional.of("the attribute " + name)
                : Optional.empty();
    }
}
