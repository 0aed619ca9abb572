/**
 * The GLUE entities vmgrid publishes, as typed values, and their one encoder each: LDIF for GLUE 1.3
 * and GLUE 2.0 ({@link org.vmgrid.glue.LdifWriter}, RFC 2253 DN escaping, RFC 2849 base64 for unsafe
 * values) and GLUE 2.0 XML ({@link org.vmgrid.glue.Glue2Xml}, valid against the OGF schema).
 */
@Version("0.1.0")
@Export
package org.vmgrid.glue;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
