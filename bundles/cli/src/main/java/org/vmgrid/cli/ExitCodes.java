package org.vmgrid.cli;

/** The exit codes of every vmgrid command, so that scripts can tell outcomes apart. */
public final class ExitCodes {
    /** Success; for {@code jdl check}: accepted. */
    public static final int OK = 0;
    /** {@code jdl check}: refused by site policy. */
    public static final int REFUSED = 1;
    /** {@code jdl check}: malformed JDL. */
    public static final int MALFORMED = 2;
    /** Bad command line (sysexits EX_USAGE). */
    public static final int USAGE = 64;
    /** A command this version does not offer yet (EX_UNAVAILABLE). */
    public static final int UNAVAILABLE = 69;
    /** An internal error of vmgrid (EX_SOFTWARE). */
    public static final int INTERNAL = 70;
    /** A system the command needs (batch system, BDII, image list) failed; try again later (EX_TEMPFAIL). */
    public static final int TEMPFAIL = 75;
    /** The site configuration cannot be used (EX_CONFIG). */
    public static final int CONFIG = 78;

    private ExitCodes() {
    }
}
