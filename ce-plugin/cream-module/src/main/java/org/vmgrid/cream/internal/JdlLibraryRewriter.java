package org.vmgrid.cream.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmgrid.admission.CeRequirements;
import org.vmgrid.cream.CreamModuleException;
import org.vmgrid.cream.JdlRewriter;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.JdlSyntaxException;
import org.vmgrid.jdl.Operator;
import org.vmgrid.jdl.Value;

/** {@link JdlRewriter} on vmgrid's JDL library: parse into the model, change it, print it back. */
public final class JdlLibraryRewriter implements JdlRewriter {

    @Override
    public String withVmRequirements(String jdl, String vmTerms) {
        ClassAd ad;
        Optional<Expr> original;
        try {
            ad = Jdl.parse(jdl);
            original = CeRequirements.expression(ad);
        } catch (JdlSyntaxException e) {
            throw new CreamModuleException("the JDL or its CERequirements does not parse: " + e.getMessage(), e);
        }
        List<Expr> kept = new ArrayList<>();
        original.ifPresent(e -> CeRequirements.conjuncts(e).stream().filter(t -> !CeRequirements.isImageTagTerm(t))
                .forEach(kept::add));
        // one flat, left-nested && chain of the user's terms and the site's
        kept.addAll(CeRequirements.conjuncts(Jdl.parseExpression(vmTerms)));
        Expr combined = kept.get(0);
        for (int i = 1; i < kept.size(); i++) {
            combined = new Expr.Binary(Operator.AND, combined, kept.get(i));
        }
        String name = ad.spelling(CeRequirements.ATTRIBUTE).orElse(CeRequirements.ATTRIBUTE);
        return Jdl.print(ad.with(name, new Expr.Literal(new Value.Str(Jdl.print(combined)))));
    }
}
