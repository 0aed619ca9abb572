package org.vmgrid.admission.internal;

import org.vmgrid.jdl.ClassAd;

/**
 * What CREAM itself requires of a job description before it registers it, so that a description
 * CREAM would refuse is never reported as an accepted job: at least one attribute, and an
 * {@code Executable} (CREAM's {@code NormalJob} requires it; a DAG or collection, which only a WMS
 * takes, has none).
 */
public final class CreamJob {

    /** The attribute naming the job's program, looked up ignoring case. */
    static final String EXECUTABLE = "Executable";

    private CreamJob() {
    }

    /**
     * @throws Rejection (malformed) saying what CREAM needs
     */
    public static void check(ClassAd jdl) {
        if (jdl.size() == 0) {
            throw Rejection.malformed("the job description is empty; a CREAM job needs at least Executable = \"<program>\"");
        }
        if (jdl.get(EXECUTABLE).isEmpty()) {
            throw Rejection.malformed("the job description has no Executable; CREAM runs only jobs that name their "
                    + "program, e.g. Executable = \"/bin/hostname\" (a DAG or a collection goes to a WMS, not to a CE)");
        }
    }
}
