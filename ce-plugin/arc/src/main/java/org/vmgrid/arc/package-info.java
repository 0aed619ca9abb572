/**
 * vmgrid at a NorduGrid ARC CE (A-REX).
 *
 * <p>A grid user asks for a VM with runtime environments: {@code VMGRID/IMAGE/<alias or UUID>}
 * names the image, {@code ENV/VMGRID} carries options ({@code memory=}, {@code cpus=},
 * {@code network=}). {@link org.vmgrid.arc.ArcJobDescriptions} reads the parts of a job description
 * (EMI-ES ADL, as ARC's client sends it, or xRSL) vmgrid needs into an {@link org.vmgrid.arc.ArcJob};
 * {@link org.vmgrid.arc.ArcAdmission} asks the site's decision about its VM request;
 * {@link org.vmgrid.arc.StateCallout} does both for A-REX's {@code statecallout}, from the job's files
 * in the control directory; {@link org.vmgrid.arc.RteScripts} renders the runtime environment
 * scripts that hand the payload to the worker node's pilot service, and
 * {@link org.vmgrid.arc.RteSync} keeps them in step with the trusted images.
 */
@Version("0.1.0")
@Export
package org.vmgrid.arc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
