package org.vmgrid.api;

/** Checks a JDL against the site's images and policy. Thread-safe. */
public interface AdmissionService {

    /**
     * Parses and admits one JDL. Never throws for anything the JDL contains: hostile or broken
     * input ends in a {@link Verdict#MALFORMED} admission with a reason naming line and column.
     */
    Admission admit(String jdl, JobContext context);
}
