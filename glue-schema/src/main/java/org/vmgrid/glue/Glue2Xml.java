package org.vmgrid.glue;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import java.io.StringWriter;
import java.util.Map;
import org.glassfish.jaxb.runtime.v2.ContextFactory;
import org.vmgrid.glue.internal.XmlDomains;
import org.vmgrid.glue.internal.Glue2XmlMapper;

/**
 * Renders a {@link Glue2ComputingSite} as a GLUE 2.0 XML document (namespace
 * {@code http://schemas.ogf.org/glue/2009/03/spec_2.0_r1}) valid against the OGF XML Schema release of
 * 31 March 2011, the one ARC ships, and nested as ARC's A-REX nests its own document:
 * {@code Domains/AdminDomain/ComputingService/ComputingManager/{ExecutionEnvironments,ApplicationEnvironments}}.
 * A-REX puts a {@code Services} element between AdminDomain and ComputingService that this schema does
 * not have; vmgrid leaves it out. The JAXB context is made once per instance; create one and reuse it.
 */
public final class Glue2Xml {

    private final JAXBContext context;

    public Glue2Xml() {
        try {
            // Straight from the JAXB runtime's factory: the API's own lookup goes through the context
            // class loader, which inside OSGi cannot see the runtime (ClassNotFoundException ContextFactory).
            context = ContextFactory.createContext(new Class<?>[] {XmlDomains.class}, Map.of());
        } catch (JAXBException e) {
            throw new GlueEncodingException("cannot set up the GLUE 2.0 XML mapping (JAXB): " + e
                    + "; check that the JAXB runtime (jaxb-osgi) is installed", e);
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
