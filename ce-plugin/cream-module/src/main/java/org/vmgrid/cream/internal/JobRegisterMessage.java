package org.vmgrid.cream.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.xml.namespace.QName;
import org.apache.axiom.om.OMElement;
import org.apache.axiom.soap.SOAPEnvelope;
import org.vmgrid.cream.JobDescription;

/**
 * The CREAM2 JobRegister request inside a SOAP envelope: {@code JobRegisterRequest} holding one
 * {@code JobDescriptionList} element per job description, each with {@code jobDescriptionId},
 * {@code JDL}, {@code autoStart}, {@code delegationId}, {@code delegationProxy} and {@code leaseId}
 * (CREAM2 types namespace). Reads the descriptions and replaces their JDL text in place.
 */
final class JobRegisterMessage {

    /** CREAM2's types namespace (the service's own is {@code http://glite.org/2007/11/ce/cream}). */
    static final String TYPES_NS = "http://glite.org/2007/11/ce/cream/types";
    static final QName REQUEST = new QName(TYPES_NS, "JobRegisterRequest");
    static final QName DESCRIPTION = new QName(TYPES_NS, "JobDescriptionList");
    static final QName DESCRIPTION_ID = new QName(TYPES_NS, "jobDescriptionId");
    static final QName JDL = new QName(TYPES_NS, "JDL");

    private final List<OMElement> descriptionElements;

    private JobRegisterMessage(List<OMElement> descriptionElements) {
        this.descriptionElements = descriptionElements;
    }

    /** The JobRegister request of an envelope, or empty when the body holds something else. */
    static Optional<JobRegisterMessage> of(SOAPEnvelope envelope) {
        OMElement request = envelope.getBody() == null ? null : envelope.getBody().getFirstElement();
        if (request == null || !REQUEST.equals(request.getQName())) {
            return Optional.empty();
        }
        List<OMElement> found = new ArrayList<>();
        for (Iterator<OMElement> it = request.getChildrenWithName(DESCRIPTION); it.hasNext();) {
            found.add(it.next());
        }
        return Optional.of(new JobRegisterMessage(found));
    }

    /** The descriptions in document order; a description without a JDL element has empty JDL text. */
    List<JobDescription> descriptions() {
        return descriptionElements.stream()
                .map(e -> new JobDescription(childText(e, DESCRIPTION_ID), childText(e, JDL)))
                .toList();
    }

    /** Replaces the JDL text of the description at {@code index}. */
    void replaceJdl(int index, String jdl) {
        OMElement jdlElement = descriptionElements.get(index).getFirstChildWithName(JDL);
        if (jdlElement == null) {
            throw new IllegalStateException("job description " + (index + 1) + " has no JDL element to replace");
        }
        jdlElement.setText(jdl);
    }

    private static String childText(OMElement parent, QName name) {
        OMElement child = parent.getFirstChildWithName(name);
        return child == null ? "" : child.getText();
    }
}
