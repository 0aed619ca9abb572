/**
 * The site's image catalogue: which images of the configured HEPiX image lists a grid job may
 * boot, and why the others may not.
 *
 * <p>{@link org.vmgrid.imagelist.CatalogLoader} reads the lists named by
 * {@link org.vmgrid.imagelist.CatalogSources}, checks each one (S/MIME signature against the
 * site's trust anchors, or explicit trust of unsigned lists; expiry; newer versions of the same
 * list revoking images they no longer name) and answers with a
 * {@link org.vmgrid.imagelist.TrustedCatalog}. A bad list never fails the load: its images become
 * unusable and the reason is kept for the grid user and the site admin.
 */
@Version("0.1.0")
@Export
package org.vmgrid.imagelist;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
