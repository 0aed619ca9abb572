/**
 * The CE-side answer to BLAH's {@code <lrms>_local_submit_attributes.sh} hooks: the script BLAH ran
 * the hook from, as the hook sends it ({@link HookRequest}), read as BLAH writes request files
 * ({@link BlahRequestFile}, {@link ClassAdValues}), decided by the site's decision
 * ({@link HookAdmission}) and answered with the batch directive lines to print
 * ({@link HookAnswer}). A request that cannot run is answered with a directive that makes the
 * submission fail visibly, so no VM job ever runs without its VM. {@link HookInstaller} writes the
 * site's settings into the hooks it installs into BLAH's libexec directory.
 *
 * <p>The resident service that answers the hooks over a local unix socket lives in {@code .internal}.
 */
@Version("0.3.0")
@Export
package org.vmgrid.blahservice;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
