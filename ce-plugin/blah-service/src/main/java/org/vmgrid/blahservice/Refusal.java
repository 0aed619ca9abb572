package org.vmgrid.blahservice;

import org.vmgrid.api.Lrms;

/**
 * Why a VM request cannot become a batch job, as a fixed keyword, and the directive that makes the
 * batch system refuse (or, for HTCondor, hold) the submission so that it never runs without its VM.
 * The keyword is the only part of a refusal that reaches the submit script: it is never user text.
 */
public enum Refusal {
    /** The request is not one vmgrid can read (no or several images, a bound instead of a value, a bad number). */
    BAD_REQUEST("bad-request"),
    /** The image is unknown to the site, revoked, expired or not trusted. */
    IMAGE_NOT_USABLE("image-not-usable"),
    /** Memory, CPUs or network beyond the site's limits. */
    OVER_LIMIT("over-limit"),
    /** The site's policy does not let the submitter's VO use the image (or the VO is unknown). */
    VO_NOT_ALLOWED("vo-not-allowed"),
    /** The batch system's worker nodes are not declared ready for VM jobs (site.properties vm.batch.systems). */
    BATCH_SYSTEM_NOT_READY("batch-system-not-ready"),
    /** The hook could not reach the vmgrid service (the hook script renders this one itself). */
    SERVICE_UNAVAILABLE("service-unavailable");

    private final String keyword;

    Refusal(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    /** The refusal of a site decision's answer. */
    public static Refusal of(org.vmgrid.decision.Decision.Refusal why) {
        return switch (why) {
            case IMAGE_NOT_USABLE -> IMAGE_NOT_USABLE;
            case VO_NOT_ALLOWED -> VO_NOT_ALLOWED;
            case OVER_LIMIT -> OVER_LIMIT;
            case BATCH_SYSTEM_NOT_READY -> BATCH_SYSTEM_NOT_READY;
        };
    }

    /**
     * The refusing directive lines. SLURM, PBS, SGE and LSF reject the unknown option
     * {@code --vmgrid-refused=<keyword>} and name it in their error; HTCondor has no failing
     * submit command, so the job is submitted held with the keyword as an attribute.
     */
    public java.util.List<String> directives(Lrms lrms) {
        String option = "--vmgrid-refused=" + keyword;
        return switch (lrms) {
            case SLURM -> java.util.List.of("#SBATCH " + option);
            case PBS -> java.util.List.of("#PBS " + option);
            case SGE -> java.util.List.of("#$ " + option);
            case LSF -> java.util.List.of("#BSUB " + option);
            case CONDOR -> java.util.List.of("hold = True", "+VmgridRefused = \"" + keyword + "\"");
        };
    }
}
