package org.vmgrid.cream;

import java.util.Optional;

/**
 * Reads and rewrites a JDL's {@code CERequirements} through the JDL library (parse, change the
 * model, print): never by editing text.
 */
public interface JdlRewriter {

    /**
     * The JDL with an admitted VM request in {@code CERequirements}: the user's own requirement is
     * kept, minus the {@code Member("VM-IMAGE-<image>", ...)} terms of its top-level {@code &&} chain
     * (the admission already read them; the image is now named by UUID), and {@code vmTerms} are
     * joined to it with {@code &&}. Every other attribute is unchanged.
     *
     * @throws CreamModuleException with what the user must change, when the JDL does not parse, its
     *     CERequirements is no expression, or what remains still names a reserved term
     */
    String withVmRequirements(String jdl, String vmTerms);

    /**
     * Why a plain job's {@code CERequirements} may not pass: it names a {@code VM-IMAGE-} tag or a
     * {@code Vmgrid*} attribute, which would reach the batch hooks without admission. Empty when it may.
     */
    Optional<String> reservedTermsInPlainJob(String jdl);

    /**
     * The JDL's {@code VirtualOrganisation} (name ignoring case), empty when it has none.
     *
     * @throws CreamModuleException when the JDL does not parse or the attribute is not a string literal
     */
    Optional<String> virtualOrganisation(String jdl);
}
