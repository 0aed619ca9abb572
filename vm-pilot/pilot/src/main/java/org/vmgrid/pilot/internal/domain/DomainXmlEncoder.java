package org.vmgrid.pilot.internal.domain;

import java.io.StringWriter;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The one way domain XML is made: the typed model renders into a DOM, and the DOM serializer does
 * all escaping. No string is ever concatenated into XML.
 */
public final class DomainXmlEncoder {

    /** The domain as libvirt domain XML. */
    public String encode(Domain domain) {
        try {
            DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
            dbf.setNamespaceAware(true);
            Document doc = dbf.newDocumentBuilder().newDocument();
            Element root = doc.createElement("domain");
            doc.appendChild(root);
            domain.render(root);
            TransformerFactory tf = TransformerFactory.newInstance();
            var t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException("the JDK's XML writer failed on domain " + domain.name() + ": " + e, e);
        }
    }
}
