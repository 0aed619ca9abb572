/**
 * The site's information provider: which VM jobs the CE runs and which images it offers, built from
 * the site configuration, the trusted image catalogue and the batch system, published in GLUE 1.3
 * and GLUE 2.0 for a BDII ({@link org.vmgrid.info.InfoProvider}); and the consumer's side,
 * finding VM-capable CEs and their images in a BDII ({@link org.vmgrid.info.BdiiFinder}).
 */
@Version("0.1.0")
@Export
package org.vmgrid.info;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
