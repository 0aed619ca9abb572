package org.vmgrid.arc;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.vmgrid.api.Admission;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.JobContext;
import org.vmgrid.arc.internal.JdlSiteDecision;
import org.vmgrid.config.SiteConfig;

/**
 * The ARC door's admission: a job that asks for none of vmgrid's runtime environments is a plain
 * job and is never judged; a VM request that cannot be read is malformed; any other goes to the
 * site's decision. Thread-safe when the decision is.
 */
public final class ArcAdmission {

    private final SiteDecision decision;

    public ArcAdmission(SiteDecision decision) {
        this.decision = Objects.requireNonNull(decision, "decision");
    }

    /** The site's own decision, over its configuration and trusted image catalogue. */
    public static ArcAdmission forSite(SiteConfig config, ImageCatalog catalog, Clock clock) {
        return new ArcAdmission(new JdlSiteDecision(config, catalog, clock));
    }

    public Admission admit(ArcJob job, JobContext context) {
        Optional<ArcVmRequest> request;
        try {
            request = VmgridRuntimeEnvironments.read(job);
        } catch (ArcDescriptionException e) {
            return Admission.malformed(e.getMessage());
        }
        return request.isEmpty() ? Admission.plainJob() : decision.decide(request.get(), context);
    }
}
