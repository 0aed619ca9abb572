package org.vmgrid.arc;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.vmgrid.api.Admission;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.Lrms;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.decision.Asker;
import org.vmgrid.decision.Decision;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.decision.VmAsk;

/**
 * The ARC door's admission: a job that asks for none of vmgrid's runtime environments is a plain
 * job and is never judged; a VM request that cannot be read is malformed; any other is asked of the
 * site's one decision ({@link SiteDecision}, the same every other door asks), in ARC's words: first
 * whether the site declared its SLURM worker nodes ready for VM jobs, then the request. Thread-safe.
 */
public final class ArcAdmission {

    private final SiteDecision decision;

    public ArcAdmission(SiteDecision decision) {
        this.decision = Objects.requireNonNull(decision, "decision");
    }

    /** The site's own decision, over its configuration and trusted image catalogue. */
    public static ArcAdmission forSite(SiteConfig config, ImageCatalog catalog, Clock clock) {
        return new ArcAdmission(SiteDecision.of(config, catalog, clock));
    }

    /** How an ARC user names the parts of a VM request, for the decision's reasons. */
    static VmAsk.Names names(ArcVmRequest r) {
        String options = VmgridRuntimeEnvironments.OPTIONS;
        return new VmAsk.Names("runtime environment " + r.imageRte(), options + " memory", options + " cpus",
                options + " network", "user data");
    }

    public Admission admit(ArcJob job, Asker asker) {
        Optional<ArcVmRequest> request;
        try {
            request = VmgridRuntimeEnvironments.read(job);
        } catch (ArcDescriptionException e) {
            return Admission.malformed(e.getMessage());
        }
        if (request.isEmpty()) {
            return Admission.plainJob();
        }
        // ARC's VM jobs run on SLURM only (the state callout refuses any other batch system): the site
        // must have declared its SLURM worker nodes ready for VM jobs
        Optional<Decision.Refused> notReady = decision.batchSystem(Lrms.SLURM);
        if (notReady.isPresent()) {
            return Admission.refused(arcWords(notReady.get().reason()));
        }
        ArcVmRequest r = request.get();
        VmAsk ask = new VmAsk(r.imageRef(), optional(r.memoryMiB()), optional(r.cpus()), r.network(), Optional.empty(),
                names(r));
        Decision d = decision.decide(ask, asker);
        if (d instanceof Decision.Allowed a) {
            return Admission.vmJob(a.vm(), List.of());
        }
        return Admission.refused(arcWords(((Decision.Refused) d).reason()));
    }

    private static OptionalLong optional(java.util.OptionalInt v) {
        return v.isPresent() ? OptionalLong.of(v.getAsInt()) : OptionalLong.empty();
    }

    /** The one reason the decision words for a JDL user: an ARC user gets a VO from arcproxy. */
    static String arcWords(String reason) {
        return reason.replace(" and set VirtualOrganisation = \"<your VO>\" in the JDL", " (arcproxy -S <your VO>)");
    }
}
