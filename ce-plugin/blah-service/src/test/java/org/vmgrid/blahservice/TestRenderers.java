package org.vmgrid.blahservice;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.Lrms;
import org.vmgrid.config.LimitsSection;
import org.vmgrid.config.PolicySection;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.decision.VmLimits;
import org.vmgrid.decision.VoImagePolicy;

/** The hook door as the service builds it (the real encoder), over a test catalogue, limits and policy. */
final class TestRenderers {

    private TestRenderers() {
    }

    static DirectiveRenderer directiveEncoder() {
        return DirectiveRenderer.creamJobWrapper();
    }

    /** A site whose every batch system's worker nodes are declared ready: every hook's directives are tested. */
    static HookAdmission admission(ImageCatalog catalog, LimitsSection limits, PolicySection policy,
            Map<String, String> aliases) {
        return new HookAdmission(new SiteDecision(catalog, new VoImagePolicy(policy, aliases), new VmLimits(limits),
                EnumSet.allOf(Lrms.class), Clock.systemUTC()), directiveEncoder());
    }

    static HookAdmission admission(ImageCatalog catalog, LimitsSection limits) {
        return admission(catalog, limits, PolicySection.open(), Map.of());
    }
}
