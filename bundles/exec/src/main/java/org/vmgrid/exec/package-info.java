/**
 * The one way vmgrid runs external commands (qemu-img, genisoimage, sbatch, ldapsearch, ...):
 * argument lists, never a shell string; {@code LC_ALL=C}; a timeout on every call; output captured
 * and stderr quoted in the error.
 */
@Version("0.1.0")
@Export
package org.vmgrid.exec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
