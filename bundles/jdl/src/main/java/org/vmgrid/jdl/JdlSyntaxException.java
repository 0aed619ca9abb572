package org.vmgrid.jdl;

import org.vmgrid.api.VmgridException;

/**
 * Text that is not valid JDL. The message names the line and column (both 1-based) and shows the
 * offending line with a caret under the column.
 */
public final class JdlSyntaxException extends VmgridException {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String problem;
    private final String snippet;

    public JdlSyntaxException(String problem, int line, int column, String snippet) {
        super("line " + line + ", column " + column + ": " + problem + (snippet.isEmpty() ? "" : "\n" + snippet));
        this.problem = problem;
        this.line = line;
        this.column = column;
        this.snippet = snippet;
    }

    /** 1-based line of the problem. */
    public int line() {
        return line;
    }

    /** 1-based column (in characters) of the problem. */
    public int column() {
        return column;
    }

    /** What is wrong, without position or snippet. */
    public String problem() {
        return problem;
    }

    /** The offending line (control characters escaped, long lines cut) and a caret line; may be empty. */
    public String snippet() {
        return snippet;
    }
}
