package org.vmgrid.glue;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import java.io.StringWriter;
import org.vmgrid.glue.internal.Glue2Document;
import org.vmgrid.glue.internal.Glue2XmlMapper;

/**
 * Renders a {@link Glue2ComputingSite} as a GLUE 2.0 XML document (namespace
 * {@code http://schemas.ogf.org/glue/2009/03/spec_2.0_r1}) valid against the OGF XML Schema. The
 * JAXB context is made once per instance; create one and reuse it.
 */
public final class Glue2Xml {

    private final JAXBContext context;

    public Glue2Xml() {
        // Inside OSGi the JAXB API finds its implementation through the context class loader:
        // point it at this bundle (which imports the runtime) while the context is made.
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(Glue2Xml.class.getClassLoader());
        try {
            context = JAXBContext.newInstance(Glue2Document.class);
        } catch (JAXBException e) {
            throw new GlueEncodingException("cannot set up the GLUE 2.0 XML mapping (JAXB): " + e
                    + "; check that a JAXB runtime (jaxb-runtime or jaxb-osgi) is installed", e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** The whole document, UTF-8 declared, indented. */
    public String render(Glue2ComputingSite site) {
        try {
            Marshaller m = context.createMarshaller();
            m.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, Boolean.TRUE);
            m.setProperty(Marshaller.JAXB_ENCODING, "UTF-8");
            StringWriter w = new StringWriter();
            m.marshal(Glue2XmlMapper.map(site), w);
            return w.toString();
        } catch (JAXBException e) {
            throw new GlueEncodingException("cannot render GLUE 2.0 XML for service " + site.service().id() + ": " + e, e);
        }
    }
}
