package org.vmgrid.arc.internal;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.glassfish.jaxb.runtime.v2.ContextFactory;
import org.vmgrid.arc.ArcDescriptionException;
import org.vmgrid.arc.ArcJob;
import org.vmgrid.arc.RuntimeEnvironmentRequest;
import org.vmgrid.arc.internal.adl.AdlActivityDescription;
import org.vmgrid.arc.internal.adl.AdlResources;
import org.vmgrid.arc.internal.adl.AdlRuntimeEnvironment;

/**
 * Reads an EMI-ES ADL activity description (what ARC's client turns xRSL into, and A-REX keeps as
 * {@code job.<id>.description}) with JAXB, from a StAX reader that refuses DTDs and external
 * entities. Thread-safe; the JAXB context is made once per instance.
 */
public final class AdlReader {

    private static final long MIB = 1024L * 1024L;

    private final JAXBContext context;
    private final XMLInputFactory xml;

    public AdlReader() {
        try {
            // the JAXB runtime's own factory: the API's lookup goes through the context class
            // loader, which inside OSGi cannot see the runtime
            context = ContextFactory.createContext(new Class<?>[] {AdlActivityDescription.class}, Map.of());
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot set up the ADL mapping (JAXB): " + e
                    + "; check that the JAXB runtime (jaxb-osgi) is installed", e);
        }
        xml = XMLInputFactory.newFactory();
        xml.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        xml.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
    }

    public ArcJob read(byte[] description) {
        AdlActivityDescription d;
        XMLStreamReader in = null;
        try {
            in = xml.createXMLStreamReader(new ByteArrayInputStream(description));
            Unmarshaller u = context.createUnmarshaller();
            Object root = u.unmarshal(in);
            if (!(root instanceof AdlActivityDescription a)) {
                throw new ArcDescriptionException("ADL: the document is not an ActivityDescription of namespace "
                        + AdlActivityDescription.NS);
            }
            d = a;
        } catch (UnmarshalException e) {
            String syntax = e.getLinkedException() instanceof XMLStreamException ? "the document is not well-formed XML: "
                    : "";
            throw new ArcDescriptionException("ADL: " + where(e) + syntax + describe(e), e);
        } catch (JAXBException | XMLStreamException e) {
            throw new ArcDescriptionException("ADL: the document is not well-formed XML: " + describe(e), e);
        } finally {
            close(in);
        }
        AdlResources r = d.resources == null ? new AdlResources() : d.resources;
        List<RuntimeEnvironmentRequest> rtes = new ArrayList<>();
        for (AdlRuntimeEnvironment e : r.runtimeEnvironments) {
            String name = e.name == null ? "" : e.name.strip();
            if (name.isEmpty()) {
                throw new ArcDescriptionException("ADL: a RuntimeEnvironment has no Name");
            }
            String version = e.version == null ? "" : e.version.strip();
            rtes.add(new RuntimeEnvironmentRequest(version.isEmpty() ? name : name + "-" + version,
                    e.options.stream().map(o -> o == null ? "" : o).toList()));
        }
        OptionalLong memory = OptionalLong.empty();
        if (r.individualPhysicalMemory != null) {
            memory = OptionalLong.of(whole(r.individualPhysicalMemory, "IndividualPhysicalMemory", "bytes") / MIB);
        }
        OptionalLong slots = OptionalLong.empty();
        if (r.slotRequirement != null && r.slotRequirement.numberOfSlots != null) {
            slots = OptionalLong.of(whole(r.slotRequirement.numberOfSlots, "NumberOfSlots", "slots"));
        }
        return new ArcJob("ADL", rtes, memory, slots);
    }

    private static long whole(String raw, String element, String unit) {
        String v = raw.strip();
        if (!v.matches("[0-9]{1,15}")) {
            throw new ArcDescriptionException("ADL: " + element + " must be a whole number of " + unit + ", is '"
                    + (v.length() > 32 ? v.substring(0, 32) + "..." : v).replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
        return Long.parseLong(v);
    }

    private static String where(UnmarshalException e) {
        if (e.getLinkedException() instanceof XMLStreamException x && x.getLocation() != null) {
            Location l = x.getLocation();
            return "line " + l.getLineNumber() + ", column " + l.getColumnNumber() + ": ";
        }
        return "";
    }

    private static String describe(Exception e) {
        Throwable t = e instanceof JAXBException j && j.getLinkedException() != null ? j.getLinkedException() : e;
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }

    private static void close(XMLStreamReader in) {
        if (in != null) {
            try {
                in.close();
            } catch (XMLStreamException e) {
                // nothing held beyond the byte array
            }
        }
    }
}
