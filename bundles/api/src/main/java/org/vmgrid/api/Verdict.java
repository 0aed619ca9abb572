package org.vmgrid.api;

/** What the site says of a submitted JDL. */
public enum Verdict {
    /** The job may run: a plain job, or a VM job the site can serve. */
    ACCEPTED,
    /** Well-formed, but the site's policy or catalogue refuses it. */
    REFUSED,
    /** Not valid JDL, or not a valid VM request. */
    MALFORMED;

    /** The lower-case word used in JSON output and logs. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
