package org.vmgrid.admission;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vmgrid.admission.internal.CreamJob;
import org.vmgrid.admission.internal.Rejection;
import org.vmgrid.admission.internal.RequestExtractor;
import org.vmgrid.admission.internal.RequestedVm;
import org.vmgrid.admission.internal.RequirementTerms;
import org.vmgrid.admission.internal.SubmitterVo;
import org.vmgrid.api.Admission;
import org.vmgrid.api.AdmissionService;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.api.JobContext;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.decision.Asker;
import org.vmgrid.decision.Decision;
import org.vmgrid.decision.IdentityException;
import org.vmgrid.decision.ImageTag;
import org.vmgrid.decision.ReservedTerms;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.decision.VmAsk;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.JdlSyntaxException;

/**
 * The CE's answer to a JDL: the one door both CREAM's Axis2 module and {@code vmgrid jdl check} go
 * through, so that they answer every JDL alike.
 *
 * <p>In order: the JDL must parse and be a job CREAM would take (not empty, with an
 * {@code Executable}); its {@code CERequirements} may name only attributes BLAH can write as shell
 * variables, none named like the shell's own; its VM request ({@code VirtualMachine} record or
 * {@code VM-IMAGE-} tag) must be well-formed. A plain job is then accepted unless its
 * {@code CERequirements} names a term only the site writes ({@link ReservedTerms}). A VM job's other
 * {@code CERequirements} terms may not name those either, its submitter's VO must be readable, and
 * the {@link SiteDecision} decides (first whether the job's batch system runs VM jobs at all: its
 * worker nodes declared ready); an allowed request gets its batch directives, those of a job whose
 * batch script runs CREAM's job wrapper (as BLAH submits it). Pure and thread-safe.
 */
public final class SiteAdmission implements AdmissionService {

    private final SiteDecision decision;
    private final DirectiveEncoder encoder = new DirectiveEncoder();

    public SiteAdmission(SiteDecision decision) {
        this.decision = Objects.requireNonNull(decision, "decision");
    }

    /** The door of a site: its decision from {@code config} and {@code catalog}. */
    public SiteAdmission(SiteConfig config, ImageCatalog catalog, Clock clock) {
        this(SiteDecision.of(config, catalog, clock));
    }

    @Override
    public Admission admit(String jdl, JobContext context) {
        ClassAd ad;
        try {
            ad = Jdl.parse(jdl);
        } catch (JdlSyntaxException e) {
            return Admission.malformed("the JDL is not valid: " + e.getMessage());
        }
        return admit(ad, context);
    }

    /** Parses (as strict UTF-8) and admits one JDL read from a file or the network. */
    public Admission admit(byte[] jdl, JobContext context) {
        ClassAd ad;
        try {
            ad = Jdl.parse(jdl);
        } catch (JdlSyntaxException e) {
            return Admission.malformed("the JDL is not valid: " + e.getMessage());
        }
        return admit(ad, context);
    }

    /** Admits an already parsed JDL. */
    public Admission admit(ClassAd jdl, JobContext context) {
        try {
            CreamJob.check(jdl);
            List<Expr> terms = ceRequirementTerms(jdl);
            RequirementTerms all = RequirementTerms.of(terms);
            all.first(ReservedTerms.Kind.NOT_A_SHELL_NAME).ifPresent(name -> {
                throw Rejection.malformed(CeRequirements.ATTRIBUTE + " names the attribute '"
                        + RequestExtractor.printable(name) + "', which is no plain name: BLAH would write it into a "
                        + "shell script as a command; name attributes with letters, digits and '_' only");
            });
            all.first(ReservedTerms.Kind.SHELL_VARIABLE).ifPresent(name -> {
                throw Rejection.refused(CeRequirements.ATTRIBUTE + " names the attribute " + name + ", named like a "
                        + "variable of the shell BLAH runs the batch hooks in (PATH, IFS, FUNCNEST, BASH_ARGV0, ...), which "
                        + "can change or stop that script: remove it, or write the attribute with its usual mixed-case name");
            });
            Optional<RequestedVm> request = RequestExtractor.extract(jdl);
            if (request.isEmpty()) {
                siteOnlyTerm(all).ifPresent(t -> {
                    throw Rejection.refused(reserved(t));
                });
                return Admission.plainJob();
            }
            RequirementTerms own = RequirementTerms.of(terms.stream().filter(t -> !CeRequirements.isImageTagTerm(t)).toList());
            siteOnlyTerm(own).ifPresent(t -> {
                throw Rejection.refused(reserved(t));
            });
            return admitVm(request.get(), jdl, context);
        } catch (Rejection r) {
            return r.admission();
        }
    }

    private Admission admitVm(RequestedVm req, ClassAd jdl, JobContext context) {
        var notReady = decision.batchSystem(context.lrms());
        if (notReady.isPresent()) {
            return Admission.refused(notReady.get().reason());
        }
        Asker asker;
        try {
            asker = Asker.grid(SubmitterVo.choose(context.vo(), jdl), context.fqans());
        } catch (IdentityException e) {
            throw Rejection.refused("the submitter's identity cannot be read: " + e.getMessage());
        }
        if (req.tagRef().isPresent()) {
            String record = uuidOf(req.imageRef(), req.source());
            String tagged = uuidOf(req.tagRef().get(), "the " + ImageTag.PREFIX + " tag");
            if (!tagged.equals(record)) {
                throw Rejection.refused(req.source() + " (" + req.imageRef() + ") and the " + ImageTag.PREFIX
                        + " tag (" + req.tagRef().get() + ") name different images; name one image, or the same in both");
            }
        }
        VmAsk ask = new VmAsk(req.imageRef(), req.memoryMiB(), req.cpus(), req.network(), req.userData(),
                new VmAsk.Names(req.source(), VmAsk.Names.JDL.memory(), VmAsk.Names.JDL.cpus(), VmAsk.Names.JDL.network(),
                        VmAsk.Names.JDL.userData()));
        Decision d = decision.decide(ask, asker);
        if (d instanceof Decision.Refused r) {
            return Admission.refused(r.reason());
        }
        var vm = ((Decision.Allowed) d).vm();
        try {
            return Admission.vmJob(vm, encoder.render(context.lrms(), vm, decision.limits().overheadMiB(),
                    DirectiveEncoder.BatchScript.CREAM_JOB_WRAPPER));
        } catch (UnsafeDirectiveException e) {
            return Admission.refused("the site cannot express this request to its batch system safely: " + e.getMessage());
        }
    }

    private String uuidOf(String ref, String source) {
        ImageResolution r = decision.resolve(ref);
        if (r.image().isEmpty()) {
            throw Rejection.refused(source + " names image " + ref + ", which this site cannot run: " + r.reason());
        }
        return r.image().get().uuid();
    }

    private static List<Expr> ceRequirementTerms(ClassAd jdl) {
        try {
            return CeRequirements.expression(jdl).map(CeRequirements::conjuncts).orElse(List.of());
        } catch (JdlSyntaxException e) {
            String where = (e.line() > 1 ? "line " + e.line() + ", " : "") + "column " + e.column();
            throw Rejection.malformed(jdl.spelling(CeRequirements.ATTRIBUTE).orElse(CeRequirements.ATTRIBUTE)
                    + " holds no valid expression (at " + where + " of its string): " + e.problem() + "\n" + e.snippet());
        }
    }

    /** The first term only the site writes: a {@code VM-IMAGE-} string or a site-only attribute, described. */
    private static Optional<String> siteOnlyTerm(RequirementTerms terms) {
        List<String> found = new ArrayList<>();
        terms.imageTag().ifPresent(t -> found.add("the tag \"" + ImageTag.PREFIX + "...\""));
        terms.first(ReservedTerms.Kind.SITE_ONLY).ifPresent(n -> found.add("the attribute " + n));
        return found.stream().findFirst();
    }

    private static String reserved(String term) {
        return CeRequirements.ATTRIBUTE + " names " + term + ", which only the site sets for an admitted VM job; remove it "
                + "(ask for a VM with VirtualMachine = [ Image = \"<image>\"; ] or Member(\"" + ImageTag.PREFIX
                + "<image>\", other." + ReservedTerms.TAG_ATTRIBUTE + ") && ...)";
    }
}
