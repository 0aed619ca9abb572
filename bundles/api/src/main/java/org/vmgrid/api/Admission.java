package org.vmgrid.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The site's answer to one JDL.
 *
 * @param verdict accepted, refused or malformed
 * @param reason why, in words a grid user can act on; empty only for an accepted job
 * @param vm the admitted VM request; empty for a plain job and for every refusal
 * @param directives the batch-system directive lines for the context's batch system, each proven
 *     safe by the directive encoder; empty for a plain job and for every refusal
 */
public record Admission(Verdict verdict, String reason, Optional<VmRequest> vm, List<String> directives) {

    public Admission {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(vm, "vm");
        reason = reason == null ? "" : reason;
        directives = List.copyOf(directives == null ? List.of() : directives);
        if (verdict != Verdict.ACCEPTED && (vm.isPresent() || !directives.isEmpty())) {
            throw new IllegalArgumentException("a " + verdict.word() + " job carries no VM request or directives");
        }
        if (verdict != Verdict.ACCEPTED && reason.isBlank()) {
            throw new IllegalArgumentException("a " + verdict.word() + " job needs a reason");
        }
    }

    public static Admission plainJob() {
        return new Admission(Verdict.ACCEPTED, "", Optional.empty(), List.of());
    }

    public static Admission vmJob(VmRequest vm, List<String> directives) {
        return new Admission(Verdict.ACCEPTED, "", Optional.of(vm), directives);
    }

    public static Admission refused(String reason) {
        return new Admission(Verdict.REFUSED, reason, Optional.empty(), List.of());
    }

    public static Admission malformed(String reason) {
        return new Admission(Verdict.MALFORMED, reason, Optional.empty(), List.of());
    }
}
