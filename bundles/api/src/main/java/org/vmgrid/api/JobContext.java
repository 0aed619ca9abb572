package org.vmgrid.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who submits a job and where it goes, as the CE knows it (never as the JDL claims it).
 *
 * @param vo the submitter's virtual organisation, empty when unknown
 * @param fqans the submitter's VOMS FQANs, possibly none
 * @param lrms the batch system the job goes to
 */
public record JobContext(Optional<String> vo, List<String> fqans, Lrms lrms) {

    public JobContext {
        Objects.requireNonNull(vo, "vo");
        Objects.requireNonNull(lrms, "lrms");
        fqans = List.copyOf(fqans == null ? List.of() : fqans);
    }
}
