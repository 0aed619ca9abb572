package org.vmgrid.pilot.internal.domain;

import java.util.Objects;
import org.w3c.dom.Element;

/**
 * {@code <metadata>}: marks a domain as a vmgrid job's, with the job id and the PID of the pilot
 * that owns it, so that a starting pilot service can reap what a crashed predecessor left.
 */
public record JobLabel(String jobId, long pilotPid) implements DomainElement {

    /** Our metadata namespace. */
    public static final String NAMESPACE = "http://vmgrid.org/xmlns/pilot/1";
    /** The element name (with prefix) under {@code <metadata>}. */
    public static final String ELEMENT = "vmgrid:job";

    public JobLabel {
        Objects.requireNonNull(jobId, "jobId");
    }

    @Override
    public void render(Element parent) {
        Element metadata = DomainElement.child(parent, "metadata");
        Element job = parent.getOwnerDocument().createElementNS(NAMESPACE, ELEMENT);
        job.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:vmgrid", NAMESPACE);
        job.setAttribute("id", jobId);
        job.setAttribute("pilot-pid", Long.toString(pilotPid));
        metadata.appendChild(job);
    }
}
