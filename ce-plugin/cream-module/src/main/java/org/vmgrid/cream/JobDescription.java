package org.vmgrid.cream;

import java.util.Objects;

/**
 * One job description of a CREAM2 JobRegister call, as the grid user sent it.
 *
 * @param id the description's {@code jobDescriptionId}; user text, only ever quoted in replies
 * @param jdl the description's {@code JDL} text
 */
public record JobDescription(String id, String jdl) {

    public JobDescription {
        id = id == null ? "" : id;
        Objects.requireNonNull(jdl, "jdl");
    }
}
