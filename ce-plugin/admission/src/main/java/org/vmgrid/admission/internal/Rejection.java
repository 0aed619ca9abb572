package org.vmgrid.admission.internal;

import org.vmgrid.api.Admission;
import org.vmgrid.api.Verdict;
import org.vmgrid.api.VmgridException;

/** Ends the admission of one job early with a refused or malformed verdict and its reason. */
public final class Rejection extends VmgridException {

    private static final long serialVersionUID = 1L;

    private final Verdict verdict;

    private Rejection(Verdict verdict, String reason) {
        super(reason, null);
        this.verdict = verdict;
    }

    public static Rejection malformed(String reason) {
        return new Rejection(Verdict.MALFORMED, reason);
    }

    public static Rejection refused(String reason) {
        return new Rejection(Verdict.REFUSED, reason);
    }

    public Admission admission() {
        return verdict == Verdict.MALFORMED ? Admission.malformed(getMessage()) : Admission.refused(getMessage());
    }
}
