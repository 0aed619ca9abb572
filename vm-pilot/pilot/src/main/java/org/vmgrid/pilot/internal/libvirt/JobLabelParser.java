package org.vmgrid.pilot.internal.libvirt;

import java.io.StringReader;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.vmgrid.pilot.internal.domain.JobLabel;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/** Reads vmgrid's job label back from the metadata element libvirt returns. */
final class JobLabelParser {

    private JobLabelParser() {
    }

    /** The label (from {@code virDomainGetMetadata} for our namespace), or empty when the XML is not a well-formed vmgrid job label. */
    static Optional<JobLabel> parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element e = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
            // libvirt hands back the element of the namespace asked for, without the namespace
            if (!"job".equals(e.getLocalName())) {
                return Optional.empty();
            }
            return Optional.of(new JobLabel(e.getAttribute("id"), Long.parseLong(e.getAttribute("pilot-pid"))));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
