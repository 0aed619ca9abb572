/**
 * Site admission of grid jobs that ask for a VM, and the batch directives for admitted ones.
 *
 * <p>{@link org.vmgrid.admission.SiteAdmission} reads a JDL's VM request (the {@code VirtualMachine}
 * record, or a {@code VM-IMAGE-<image>} tag in {@code CeRequirements}/{@code Requirements}), checks it
 * against the site's image catalogue, VO policy and limits, and answers accepted, refused or
 * malformed with a reason the user can act on. {@link org.vmgrid.admission.DirectiveEncoder} renders
 * the admitted request as directive lines of the site's batch system, emitting only values it has
 * checked against strict patterns.
 */
@Version("0.1.0")
@Export
package org.vmgrid.admission;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
