/**
 * The vmgrid API shared by every part of vmgrid: what an image is, what a job's VM request
 * is after the site admitted it, and the services that answer those questions.
 *
 * <p>Everything here is an immutable value or a small service interface; implementations live
 * in the {@code .internal} packages of the bundles that provide them.
 */
@Version("0.2.0")
@Export
package org.vmgrid.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
