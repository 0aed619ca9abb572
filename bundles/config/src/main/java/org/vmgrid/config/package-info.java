/**
 * The site's vmgrid configuration: one directory of properties files (default {@code /etc/vmgrid}),
 * read with Apache Commons Configuration, validated as a whole, and offered as typed sections.
 *
 * <p>Every bad value is refused at start-up with a {@link org.vmgrid.config.ConfigException} naming
 * the file, line, key, value and what is allowed. Inside OSGi the configuration bundle also hands
 * each file to ConfigAdmin under the PID {@code org.vmgrid.<file name without .properties>}.
 */
@Version("0.3.0")
@Export
package org.vmgrid.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
