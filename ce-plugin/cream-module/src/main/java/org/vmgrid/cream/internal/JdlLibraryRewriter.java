package org.vmgrid.cream.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vmgrid.cream.CreamModuleException;
import org.vmgrid.cream.JdlRewriter;
import org.vmgrid.cream.VmRequirementTerms;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.JdlSyntaxException;
import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/** {@link JdlRewriter} on vmgrid's JDL library: parse into the model, change it, print it back. */
public final class JdlLibraryRewriter implements JdlRewriter {

    /** The attribute CREAM hands to BLAH, looked up ignoring case. */
    static final String CE_REQUIREMENTS = "CERequirements";
    /** The JDL attribute naming the submitter's VO, which CREAM checks against the proxy. */
    static final String VIRTUAL_ORGANISATION = "VirtualOrganisation";

    @Override
    public String withVmRequirements(String jdl, String vmTerms) {
        ClassAd ad = parse(jdl);
        List<Expr> kept = new ArrayList<>();
        Optional<Expr> original = requirement(ad);
        if (original.isPresent()) {
            for (Expr conjunct : conjuncts(original.get())) {
                if (!ReservedTerms.isImageTagTerm(conjunct)) {
                    kept.add(conjunct);
                }
            }
        }
        if (!kept.isEmpty()) {
            ReservedTerms.find(and(kept)).ifPresent(t -> {
                throw new CreamModuleException(reservedMessage(t));
            });
        }
        // one flat, left-nested && chain: BLAH's unwinder follows && but no parentheses around them
        kept.addAll(conjuncts(Jdl.parseExpression(vmTerms)));
        Expr combined = and(kept);
        String name = ad.spelling(CE_REQUIREMENTS).orElse(CE_REQUIREMENTS);
        return Jdl.print(ad.with(name, new Expr.Literal(new Value.Str(Jdl.print(combined)))));
    }

    @Override
    public Optional<String> reservedTermsInPlainJob(String jdl) {
        return requirement(parse(jdl)).flatMap(ReservedTerms::find).map(JdlLibraryRewriter::reservedMessage);
    }

    @Override
    public Optional<String> virtualOrganisation(String jdl) {
        Optional<Expr> e = parse(jdl).get(VIRTUAL_ORGANISATION);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        if (e.get() instanceof Expr.Literal lit && lit.value() instanceof Value.Str s) {
            return Optional.of(s.value());
        }
        throw new CreamModuleException("VirtualOrganisation must be a string naming your VO, e.g. "
                + "VirtualOrganisation = \"dteam\"");
    }

    private static String reservedMessage(String term) {
        return "CERequirements names " + term + ", which only the site sets for an admitted VM job; remove it (ask for "
                + "a VM with VirtualMachine = [ Image = \"<image>\"; ] or Member(\"" + VmRequirementTerms.IMAGE_TAG_PREFIX
                + "<image>\", other." + VmRequirementTerms.TAG_ATTRIBUTE + ") && ...)";
    }

    /** CERequirements as an expression: the usual string holding one, or an expression written directly. */
    private static Optional<Expr> requirement(ClassAd ad) {
        Optional<Expr> e = ad.get(CE_REQUIREMENTS);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        if (e.get() instanceof Expr.Literal lit && lit.value() instanceof Value.Str s) {
            if (s.value().isBlank()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Jdl.parseExpression(s.value()));
            } catch (JdlSyntaxException ex) {
                throw new CreamModuleException("CERequirements holds no valid expression: " + ex.getMessage(), ex);
            }
        }
        return e;
    }

    private static List<Expr> conjuncts(Expr e) {
        List<Expr> out = new ArrayList<>();
        if (e instanceof Expr.Binary b && b.op() == Operator.AND) {
            out.addAll(conjuncts(b.left()));
            out.addAll(conjuncts(b.right()));
        } else {
            out.add(e);
        }
        return out;
    }

    private static Expr and(List<Expr> terms) {
        Expr e = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            e = new Expr.Binary(Operator.AND, e, terms.get(i));
        }
        return e;
    }

    private static ClassAd parse(String jdl) {
        try {
            return Jdl.parse(jdl);
        } catch (JdlSyntaxException e) {
            throw new CreamModuleException("the JDL does not parse: " + e.getMessage(), e);
        }
    }

    /** Lower-case, for case-insensitive name checks. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
