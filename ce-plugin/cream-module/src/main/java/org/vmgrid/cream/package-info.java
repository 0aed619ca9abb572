/**
 * vmgrid's gate in front of CREAM's JobRegister: every job description of a JobRegister call is
 * admitted by the site's {@link org.vmgrid.api.AdmissionService}; plain jobs pass untouched, VM jobs
 * travel on with their admitted request added to {@code CERequirements} (which BLAH unwinds into
 * variables for the {@code <lrms>_local_submit_attributes.sh} hooks), and refused or malformed ones are
 * answered with a reason the user can act on.
 *
 * <p>The Axis2 side (module, handler, SOAP message access) lives in {@code .internal}; it runs inside
 * CREAM's Axis2 engine, never in the vmgrid Felix runtime.
 */
@Version("0.3.0")
@Export
package org.vmgrid.cream;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
