package org.vmgrid.pilot.internal.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/** Compares XML documents as trees: element names, namespaces, attributes and trimmed text. */
final class XmlTrees {

    private XmlTrees() {
    }

    static void assertSameTree(String expected, String actual) {
        assertEquals(canonical(parse(expected)), canonical(parse(actual)), "XML trees differ");
    }

    static Element parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + xml, e);
        }
    }

    /** One line per element, indented by depth, with sorted attributes: a diff names the element. */
    static String canonical(Element e) {
        StringBuilder b = new StringBuilder();
        write(e, 0, b);
        return b.toString();
    }

    private static void write(Element e, int depth, StringBuilder b) {
        b.append("  ".repeat(depth)).append('{').append(e.getNamespaceURI()).append('}').append(e.getLocalName());
        TreeMap<String, String> attrs = new TreeMap<>();
        NamedNodeMap m = e.getAttributes();
        for (int i = 0; i < m.getLength(); i++) {
            Node a = m.item(i);
            if (!"http://www.w3.org/2000/xmlns/".equals(a.getNamespaceURI())) {
                attrs.put(a.getNodeName(), a.getNodeValue());
            }
        }
        b.append(attrs);
        List<Element> kids = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element k) {
                kids.add(k);
            } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(n.getNodeValue());
            }
        }
        if (!text.toString().isBlank()) {
            b.append(" text=").append(text.toString().strip());
        }
        b.append('\n');
        for (Element k : kids) {
            write(k, depth + 1, b);
        }
    }
}
