/**
 * The CE-side answer to BLAH's {@code <lrms>_local_submit_attributes.sh} hooks: a VM request as BLAH
 * unwound it from {@code CERequirements} ({@link HookRequest}), checked against the site's images
 * and limits ({@link HookAdmission}), and answered with the batch directive lines to print
 * ({@link HookAnswer}). A request that cannot run is answered with a directive that makes the
 * submission fail visibly, so no VM job ever runs without its VM.
 *
 * <p>The resident service that answers the hooks over a local unix socket lives in {@code .internal}.
 */
@Version("0.2.0")
@Export
package org.vmgrid.blahservice;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
