package org.vmgrid.cream;

import java.util.Objects;
import org.vmgrid.api.Verdict;

/**
 * What the gate decided for one job description.
 *
 * @param description the description as received
 * @param kind plain job, VM job or refused
 * @param jdl the JDL to pass on to CREAM: the original for a plain job, the rewritten one for a VM
 *     job, empty for a refusal
 * @param verdict the door's verdict: accepted, or for a refusal refused or malformed
 * @param reason why a description was refused, in words the user can act on; empty otherwise
 */
public record DescriptionOutcome(JobDescription description, Kind kind, String jdl, Verdict verdict, String reason) {

    /** The three ways a description can go. */
    public enum Kind {
        /** Not a VM job: passed on untouched. */
        PLAIN,
        /** An admitted VM job: passed on with its VM request in {@code CERequirements}. */
        VM,
        /** Refused by the site's policy, or malformed: CREAM must not register it. */
        REFUSED
    }

    public DescriptionOutcome {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(verdict, "verdict");
        jdl = jdl == null ? "" : jdl;
        reason = reason == null ? "" : reason;
        if ((kind == Kind.REFUSED) != (verdict != Verdict.ACCEPTED)) {
            throw new IllegalArgumentException("a refused description has a refused or malformed verdict, others accepted");
        }
        if (kind == Kind.REFUSED && reason.isBlank()) {
            throw new IllegalArgumentException("a refused description needs a reason");
        }
    }

    public static DescriptionOutcome plain(JobDescription d) {
        return new DescriptionOutcome(d, Kind.PLAIN, d.jdl(), Verdict.ACCEPTED, "");
    }

    public static DescriptionOutcome vm(JobDescription d, String rewrittenJdl) {
        return new DescriptionOutcome(d, Kind.VM, rewrittenJdl, Verdict.ACCEPTED, "");
    }

    public static DescriptionOutcome refused(JobDescription d, Verdict verdict, String reason) {
        return new DescriptionOutcome(d, Kind.REFUSED, "", verdict, reason);
    }
}
