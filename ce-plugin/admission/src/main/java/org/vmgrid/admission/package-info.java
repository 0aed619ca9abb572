/**
 * The CE's door for JDLs, and the batch directives of admitted VM jobs.
 *
 * <p>{@link org.vmgrid.admission.SiteAdmission} is the CE's whole answer to a JDL, used alike by
 * CREAM's Axis2 module and by {@code vmgrid jdl check}: what CREAM itself requires of a job, the
 * {@code CERequirements} terms only the site may write, the VM request (the {@code VirtualMachine}
 * record, or a {@code VM-IMAGE-<image>} tag in {@code CeRequirements}/{@code Requirements}) read
 * into the site decision's terms and decided by {@link org.vmgrid.decision.SiteDecision}; it answers
 * accepted, refused or malformed with a reason the user can act on.
 * {@link org.vmgrid.admission.CeRequirements} reads the expression CREAM hands to BLAH.
 * {@link org.vmgrid.admission.DirectiveEncoder} renders an admitted request as directive lines of
 * the site's batch system, emitting only values it has checked against strict patterns; they say
 * whether the job's batch script is the payload or runs CREAM's job wrapper.
 */
@Version("0.3.0")
@Export
package org.vmgrid.admission;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
