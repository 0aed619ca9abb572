package org.vmgrid.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.vmgrid.testing.Glue2Schema;
import org.vmgrid.testing.Golden;

/**
 * GLUE 2.0 XML: valid against the OGF schema (the one Debian's ARC packages install), nested as ARC
 * nests its own document, golden, hostile text kept well-formed.
 */
class Glue2XmlTest {

    private final Glue2Xml xml = new Glue2Xml();

    static void validate(String document) throws SAXException, IOException {
        Glue2Schema.validate(document);
    }

    @Test
    void documentValidatesAgainstTheOgfSchema() throws Exception {
        validate(xml.render(GlueFixtures.glue2()));
    }

    @Test
    void documentMatchesTheGoldenFile() throws Exception {
        Golden.assertMatches("glue2.xml", xml.render(GlueFixtures.glue2()));
    }

    @Test
    void everyEntityCarriesTheFixedBaseTypeAndHostileTitlesStayText() throws Exception {
        Document d = parse(xml.render(GlueFixtures.glue2()));
        assertEquals("Domain", d.getElementsByTagNameNS("*", "AdminDomain").item(0).getAttributes().getNamedItem("BaseType").getNodeValue());
        assertEquals("Service", d.getElementsByTagNameNS("*", "ComputingService").item(0).getAttributes().getNamedItem("BaseType").getNodeValue());
        assertEquals("Manager", d.getElementsByTagNameNS("*", "ComputingManager").item(0).getAttributes().getNamedItem("BaseType").getNodeValue());
        assertEquals("Resource", d.getElementsByTagNameNS("*", "ExecutionEnvironment").item(0).getAttributes().getNamedItem("BaseType").getNodeValue());
        String desc = d.getElementsByTagNameNS("*", "Description").item(1).getTextContent();
        assertEquals(GlueFixtures.HOSTILE_TITLE.replace('\u0001', '\uFFFD'), desc);
        assertEquals(0, d.getElementsByTagName("script").getLength());
    }

    @Test
    void entitiesAreNestedAsArcNestsThem() throws Exception {
        Document d = parse(xml.render(GlueFixtures.glue2()));
        XPath x = XPathFactory.newInstance().newXPath();
        String service = "/*[local-name()='Domains']/*[local-name()='AdminDomain']/*[local-name()='ComputingService']";
        String manager = service + "/*[local-name()='ComputingManager']";
        assertEquals("VMGRID-EXAMPLE", x.evaluate("/*[local-name()='Domains']/*[local-name()='AdminDomain']/*[local-name()='ID']", d));
        assertEquals("ce01.example.org_ComputingElement", x.evaluate(service + "/*[local-name()='ID']", d));
        assertEquals("ce01.example.org_ComputingElement_VM", x.evaluate(manager
                + "/*[local-name()='ExecutionEnvironments']/*[local-name()='ExecutionEnvironment']/*[local-name()='ID']", d));
        String apps = manager + "/*[local-name()='ApplicationEnvironments']/*[local-name()='ApplicationEnvironment']";
        assertEquals("2", x.evaluate("count(" + apps + ")", d));
        assertEquals("VM-IMAGE-debian-test", x.evaluate(apps + "[1]/*[local-name()='ApplicationHandle'][2]/*[local-name()='Value']", d));
        assertEquals("ce01.example.org_ComputingElement_VM", x.evaluate(apps
                + "[2]/*[local-name()='Associations']/*[local-name()='ExecutionEnvironmentID']", d));
        assertEquals(d.getDocumentElement().getNamespaceURI(), x.evaluate("namespace-uri(" + apps + "[2])", d));
    }

    @Test
    void noImagesIsStillAValidDocument() throws Exception {
        Glue2ComputingSite s = GlueFixtures.glue2();
        validate(xml.render(new Glue2ComputingSite(s.service(), s.manager(), s.environment(), List.of())));
    }

    private static Document parse(String text) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
    }
}
