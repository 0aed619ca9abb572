package org.vmgrid.cream.internal;

import java.util.Optional;
import org.vmgrid.cream.CreamModuleException;
import org.vmgrid.cream.JdlRewriter;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.JdlSyntaxException;
import org.vmgrid.jdl.Value;

/** {@link JdlRewriter} on vmgrid's JDL library: parse into the model, change it, print it back. */
public final class JdlLibraryRewriter implements JdlRewriter {

    /** The attribute CREAM hands to BLAH, looked up ignoring case. */
    static final String CE_REQUIREMENTS = "CERequirements";

    @Override
    public Optional<String> ceRequirements(String jdl) {
        Optional<Expr> e = parse(jdl).get(CE_REQUIREMENTS);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        if (e.get() instanceof Expr.Literal lit && lit.value() instanceof Value.Str s) {
            return Optional.of(s.value());
        }
        throw new CreamModuleException("CERequirements must be a string holding a ClassAd expression, as in "
                + "CERequirements = \"other.GlueCEPolicyMaxCPUTime > 60\"; quote it");
    }

    @Override
    public String withCeRequirements(String jdl, String requirements) {
        ClassAd ad = parse(jdl);
        String name = ad.spelling(CE_REQUIREMENTS).orElse(CE_REQUIREMENTS);
        return Jdl.print(ad.with(name, new Expr.Literal(new Value.Str(requirements))));
    }

    @Override
    public boolean isSingleExpression(String expression) {
        try {
            Jdl.parseExpression(expression);
            return true;
        } catch (JdlSyntaxException e) {
            return false;
        }
    }

    private static ClassAd parse(String jdl) {
        try {
            return Jdl.parse(jdl);
        } catch (JdlSyntaxException e) {
            throw new CreamModuleException("the JDL does not parse: " + e.getMessage(), e);
        }
    }
}
