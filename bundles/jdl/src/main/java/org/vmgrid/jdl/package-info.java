/**
 * The JDL (Job Description Language) of gLite/CREAM jobs: a ClassAd parser, evaluator and printer.
 *
 * <p>{@link org.vmgrid.jdl.Jdl#parse(String)} turns text into an immutable {@link org.vmgrid.jdl.ClassAd}
 * of {@link org.vmgrid.jdl.Expr} trees; {@link org.vmgrid.jdl.Jdl#print(ClassAd)} prints it back so
 * that parsing the printed text gives an equal ad; {@link org.vmgrid.jdl.Jdl#evaluate} evaluates an
 * attribute with ClassAd's three-valued logic ({@link org.vmgrid.jdl.Value.Undefined},
 * {@link org.vmgrid.jdl.Value.Error}). Input is hostile by assumption: its size, nesting depth and
 * evaluation cost are capped, and every problem ends in a {@link org.vmgrid.jdl.JdlSyntaxException}
 * naming line and column, or in an ERROR value, never in a crash.
 */
@Version("0.2.0")
@Export
package org.vmgrid.jdl;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
