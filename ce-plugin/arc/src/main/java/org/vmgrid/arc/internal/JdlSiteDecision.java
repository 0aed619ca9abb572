package org.vmgrid.arc.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vmgrid.admission.SiteAdmission;
import org.vmgrid.api.Admission;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.JobContext;
import org.vmgrid.api.Verdict;
import org.vmgrid.arc.ArcVmRequest;
import org.vmgrid.arc.SiteDecision;
import org.vmgrid.arc.VmgridRuntimeEnvironments;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Value;

/**
 * The site's decision as {@link SiteAdmission} makes it for the CREAM door, asked with the ARC
 * request expressed as a JDL {@code VirtualMachine} record. The record is built as a value from
 * the request's checked fields (never as text, so nothing a user wrote is parsed again), and the
 * reason names ARC's spelling (runtime environments and their options) instead of JDL's.
 */
public final class JdlSiteDecision implements SiteDecision {

    private final SiteAdmission admission;

    public JdlSiteDecision(SiteConfig config, ImageCatalog catalog, Clock clock) {
        this.admission = new SiteAdmission(config, catalog, clock);
    }

    @Override
    public Admission decide(ArcVmRequest request, JobContext context) {
        List<ClassAd.Attribute> vm = new ArrayList<>();
        vm.add(new ClassAd.Attribute("Image", new Expr.Literal(new Value.Str(request.imageRef()))));
        request.memoryMiB().ifPresent(m -> vm.add(new ClassAd.Attribute("Memory", new Expr.Literal(new Value.Int(m)))));
        request.cpus().ifPresent(c -> vm.add(new ClassAd.Attribute("CPUs", new Expr.Literal(new Value.Int(c)))));
        request.network().ifPresent(n -> vm.add(new ClassAd.Attribute("Network",
                new Expr.Literal(new Value.Str(n.keyword())))));
        ClassAd jdl = ClassAd.of(List.of(new ClassAd.Attribute("VirtualMachine", new Expr.RecordExpr(ClassAd.of(vm)))));
        Admission a = admission.admit(jdl, context);
        if (a.verdict() == Verdict.ACCEPTED) {
            return a;
        }
        String reason = arcSpelling(a.reason(), request);
        return a.verdict() == Verdict.REFUSED ? Admission.refused(reason) : Admission.malformed(reason);
    }

    /** The JDL names in a reason, in ARC's words. */
    static String arcSpelling(String reason, ArcVmRequest request) {
        String r = reason;
        for (Map.Entry<String, String> e : Map.of(
                "VirtualMachine.Image", "runtime environment " + request.imageRte(),
                "VirtualMachine.Memory = ", "memory ",
                "VirtualMachine.CPUs = ", "cpus ",
                "VirtualMachine.Network = ", "network ",
                "use Network = ", "use " + VmgridRuntimeEnvironments.OPTIONS + " network=",
                " and set VirtualOrganisation = \"<your VO>\" in the JDL", " (arcproxy -S <your VO>)").entrySet()) {
            r = r.replace(e.getKey(), e.getValue());
        }
        return r;
    }
}
