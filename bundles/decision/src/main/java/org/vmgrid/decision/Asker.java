package org.vmgrid.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vmgrid.config.PolicySection;

/**
 * Who asks for a VM, as the door that received the request knows it (never as the request claims
 * it): a grid user's VO and VOMS FQANs, or a local account on a site host.
 *
 * @param vo the grid VO, empty when unknown
 * @param fqans the VOMS FQANs, in the proxy's order, possibly none
 * @param localAccount the local account asking directly on a site host, for {@link #localAccount(String)}
 */
public record Asker(Optional<String> vo, List<Fqan> fqans, Optional<String> localAccount) {

    /** Most FQANs read; a VOMS proxy holds a handful. */
    public static final int MAX_FQANS = 32;

    public Asker {
        Objects.requireNonNull(vo, "vo");
        Objects.requireNonNull(localAccount, "localAccount");
        fqans = List.copyOf(fqans);
        if (localAccount.isPresent() && (vo.isPresent() || !fqans.isEmpty())) {
            throw new IllegalArgumentException("a local account carries no grid identity");
        }
    }

    /**
     * A grid user. The VO is {@code vo} when given, else the VO of the first FQAN.
     *
     * @throws IdentityException for a VO that is no VO name, an FQAN that is no FQAN, more than
     *     {@value #MAX_FQANS} FQANs, or a VO that is not the first FQAN's
     */
    public static Asker grid(Optional<String> vo, List<String> fqans) {
        Optional<String> name = vo.filter(v -> !v.isEmpty());
        if (name.isPresent() && !PolicySection.VO.matcher(name.get()).matches()) {
            throw new IdentityException("'" + Fqan.printable(name.get()) + "' is not a VO name (letters, digits, '.', "
                    + "'_', '-', at most 100)");
        }
        if (fqans.size() > MAX_FQANS) {
            throw new IdentityException(fqans.size() + " FQANs are more than the " + MAX_FQANS + " read");
        }
        List<Fqan> parsed = new ArrayList<>();
        for (String f : fqans) {
            parsed.add(Fqan.parse(f));
        }
        Optional<String> fqanVo = parsed.stream().findFirst().map(Fqan::vo);
        if (name.isPresent() && fqanVo.isPresent() && !name.get().equals(fqanVo.get())) {
            throw new IdentityException("VO " + name.get() + " is not the VO of the proxy's first FQAN (" + fqanVo.get()
                    + ")");
        }
        return new Asker(name.or(() -> fqanVo), parsed, Optional.empty());
    }

    /** A grid user whose VO is not known. */
    public static Asker unknown() {
        return new Asker(Optional.empty(), List.of(), Optional.empty());
    }

    /**
     * A local account asking directly on a site host (e.g. {@code vmgrid pilot run} on a worker
     * node, by a batch job or an administrator). It carries no grid identity, so the site's VO
     * policy, which is about grid VOs, is not applied to it: for grid jobs the CE's door applied it.
     */
    public static Asker localAccount(String account) {
        return new Asker(Optional.empty(), List.of(), Optional.of(Objects.requireNonNull(account, "account")));
    }

    /** For messages: "VO dteam", "a local account (alice)", "a user of unknown VO". */
    public String describe() {
        if (localAccount.isPresent()) {
            return "the local account " + localAccount.get();
        }
        return vo.map(v -> "VO " + v).orElse("a user of unknown VO");
    }
}
