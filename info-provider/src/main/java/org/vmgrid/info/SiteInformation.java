package org.vmgrid.info;

/**
 * The site's GLUE description as an OSGi service of the vmgrid runtime (the same output as
 * {@code vmgrid info}). Each call reads the current catalogue; a failure throws
 * {@link InfoException} and returns nothing partial.
 */
public interface SiteInformation {

    /** What the GIP provider prints: GLUE 1.3 and 2.0 entries as LDIF. */
    String providerLdif();

    /** The GLUE 2.0 XML document, with VM slots and jobs from the batch system when asked. */
    String xml(boolean askBatchSystem);
}
