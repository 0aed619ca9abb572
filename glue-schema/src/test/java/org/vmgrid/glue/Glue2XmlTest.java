package org.vmgrid.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.vmgrid.testing.Glue2Schema;
import org.vmgrid.testing.Golden;

/** GLUE 2.0 XML: valid against the OGF schema (the one Debian's ARC packages install), golden, hostile text kept well-formed. */
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
        assertEquals("Service", d.getElementsByTagNameNS("*", "ComputingService").item(0).getAttributes().getNamedItem("BaseType").getNodeValue());
        assertEquals("Manager", d.getElementsByTagNameNS("*", "ComputingManager").item(0).getAttributes().getNamedItem("BaseType").getNodeValue());
        assertEquals("Resource", d.getElementsByTagNameNS("*", "ExecutionEnvironment").item(0).getAttributes().getNamedItem("BaseType").getNodeValue());
        String desc = d.getElementsByTagNameNS("*", "Description").item(1).getTextContent();
        assertEquals(GlueFixtures.HOSTILE_TITLE.replace('\u0001', '\uFFFD'), desc);
        assertEquals(0, d.getElementsByTagName("script").getLength());
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
