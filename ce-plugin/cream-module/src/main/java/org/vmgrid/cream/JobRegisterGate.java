package org.vmgrid.cream;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vmgrid.api.Admission;
import org.vmgrid.api.AdmissionService;
import org.vmgrid.api.JobContext;
import org.vmgrid.api.Verdict;
import org.vmgrid.decision.ReservedTerms;

/**
 * Decides, for each job description of a JobRegister call, whether CREAM may register it and with
 * which JDL: the site's JDL door ({@code SiteAdmission}, the same {@code vmgrid jdl check} asks)
 * answers, and an admitted VM job's {@code CERequirements} is rewritten to carry its request to
 * BLAH. Pure: no Axis2, no I/O beyond the admission service. Thread-safe when its collaborators are.
 */
public final class JobRegisterGate {

    private final AdmissionService admission;
    private final JdlRewriter rewriter;

    public JobRegisterGate(AdmissionService admission, JdlRewriter rewriter) {
        this.admission = Objects.requireNonNull(admission, "admission");
        this.rewriter = Objects.requireNonNull(rewriter, "rewriter");
    }

    /** Decides every description of one call, in order. */
    public List<DescriptionOutcome> check(List<JobDescription> descriptions, JobContext context) {
        return descriptions.stream().map(d -> check(d, context)).toList();
    }

    /**
     * Decides one description. Never throws for anything the user wrote. {@code context}'s VO is the
     * one CREAM's authorization found in the proxy, when it gives one.
     */
    public DescriptionOutcome check(JobDescription d, JobContext context) {
        Admission a = admission.admit(d.jdl(), context);
        if (a.verdict() != Verdict.ACCEPTED) {
            return DescriptionOutcome.refused(d, a.verdict(), a.reason());
        }
        if (a.vm().isEmpty()) {
            return DescriptionOutcome.plain(d);
        }
        try {
            return DescriptionOutcome.vm(d, rewriter.withVmRequirements(d.jdl(), ReservedTerms.ceRequirements(a.vm().get())));
        } catch (CreamModuleException e) {
            return DescriptionOutcome.refused(d, Verdict.REFUSED, e.getMessage());
        }
    }

    /**
     * The reason of the SOAP fault that refuses a call: every refused description, by position and
     * {@code jobDescriptionId}, with the door's verdict ({@code refused} or {@code malformed}) and
     * its reason, word for word what {@code vmgrid jdl check} says. Empty when nothing was refused.
     */
    public static Optional<String> faultReason(List<DescriptionOutcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        int refused = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            DescriptionOutcome o = outcomes.get(i);
            if (o.kind() == DescriptionOutcome.Kind.REFUSED) {
                refused++;
                sb.append(sb.length() == 0 ? "" : "; ").append("job description ").append(i + 1)
                        .append(" (jobDescriptionId ").append(quote(o.description().id())).append(") ")
                        .append(o.verdict().word()).append(": ").append(o.reason());
            }
        }
        if (refused == 0) {
            return Optional.empty();
        }
        return Optional.of("vmgrid refused " + refused + " of " + outcomes.size() + " job description(s); nothing "
                + "was registered; correct and resubmit: " + sb);
    }

    /** User text in a fault reason: quoted, control characters shown as '?', cut at 64 characters. */
    static String quote(String userText) {
        String s = userText.length() > 64 ? userText.substring(0, 64) + "..." : userText;
        return "\"" + s.replaceAll("[\\p{Cntrl}\"]", "?") + "\"";
    }
}
