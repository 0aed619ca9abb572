package org.vmgrid.cream;

/**
 * Rewrites a JDL through the JDL library (parse, change the model, print): never by editing text.
 */
public interface JdlRewriter {

    /**
     * The JDL's {@code CERequirements} string attribute, or empty when it has none.
     *
     * @throws CreamModuleException when the JDL does not parse or the attribute is not a string
     */
    java.util.Optional<String> ceRequirements(String jdl);

    /**
     * The same JDL with its {@code CERequirements} string attribute set to {@code requirements}
     * (added when absent); every other attribute unchanged.
     *
     * @throws CreamModuleException when the JDL does not parse
     */
    String withCeRequirements(String jdl, String requirements);

    /**
     * True when the text parses, on its own, as exactly one ClassAd expression. A user requirement
     * such as {@code x) || (y} does not, and would otherwise escape the parentheses it is put in.
     */
    boolean isSingleExpression(String expression);
}
