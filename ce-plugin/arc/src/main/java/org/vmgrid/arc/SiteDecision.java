package org.vmgrid.arc;

import org.vmgrid.api.Admission;
import org.vmgrid.api.JobContext;

/**
 * The site's decision on one VM request from an ARC job: the image must be usable and allowed to
 * the submitter's VO, and memory, CPUs and network within the site's limits. The same decision
 * every other door asks (the CREAM module, {@code vmgrid jdl check}); never throws for anything a
 * user wrote.
 */
public interface SiteDecision {

    /** Accepted with the resolved VM, or refused or malformed with a reason the user can act on. */
    Admission decide(ArcVmRequest request, JobContext context);
}
