package org.vmgrid.cream;

/**
 * Rewrites a JDL's {@code CERequirements} through the JDL library (parse, change the model, print):
 * never by editing text.
 */
public interface JdlRewriter {

    /**
     * The JDL with an admitted VM request in {@code CERequirements}: the user's own requirement is
     * kept, minus the {@code Member("VM-IMAGE-<image>", ...)} terms of its top-level {@code &&} chain
     * (the admission already read them; the image is now named by UUID), and {@code vmTerms} are
     * joined to it in one flat {@code &&} chain. Every other attribute is unchanged.
     *
     * @throws CreamModuleException with what the user must change, when the JDL does not parse or
     *     its CERequirements is no expression
     */
    String withVmRequirements(String jdl, String vmTerms);
}
