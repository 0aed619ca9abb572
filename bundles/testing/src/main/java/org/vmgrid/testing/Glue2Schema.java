package org.vmgrid.testing;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.SAXException;

/**
 * Validates GLUE 2.0 XML against the OGF GLUE 2.0 XML Schema that an installed Debian package provides
 * ({@code libarccommon3v5}: {@code /usr/share/arc/schema/GLUE2.xsd}; {@code ./test.sh} installs it), or the
 * file the system property {@code vmgrid.glue2.xsd} names.
 */
public final class Glue2Schema {

    /** Where Debian's ARC packages put the OGF GLUE 2.0 schema. */
    public static final Path DEBIAN_SCHEMA = Path.of("/usr/share/arc/schema/GLUE2.xsd");

    private Glue2Schema() {
    }

    /** The schema file used. */
    public static Path file() {
        String named = System.getProperty("vmgrid.glue2.xsd");
        Path xsd = named == null || named.isBlank() ? DEBIAN_SCHEMA : Path.of(named);
        if (!Files.isRegularFile(xsd)) {
            throw new IllegalStateException("no GLUE 2.0 schema at " + xsd + "; install the Debian package "
                    + "libarccommon3v5 (./test.sh does) or set -Dvmgrid.glue2.xsd=<file>");
        }
        return xsd;
    }

    /** Throws when {@code document} is not valid GLUE 2.0 XML. */
    public static void validate(String document) throws SAXException, IOException {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        f.newSchema(file().toFile()).newValidator().validate(new StreamSource(new StringReader(document)));
    }
}
