package org.vmgrid.api;

import java.util.Locale;
import java.util.Optional;

/** The batch systems (local resource management systems) vmgrid renders directives for. */
public enum Lrms {
    SLURM("slurm"), PBS("pbs"), SGE("sge"), LSF("lsf"), CONDOR("condor");

    private final String keyword;

    Lrms(String keyword) {
        this.keyword = keyword;
    }

    /** BLAH's name for it, as in {@code <keyword>_local_submit_attributes.sh}. */
    public String keyword() {
        return keyword;
    }

    public static Optional<Lrms> fromKeyword(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String k = text.trim().toLowerCase(Locale.ROOT);
        for (Lrms l : values()) {
            if (l.keyword.equals(k)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
