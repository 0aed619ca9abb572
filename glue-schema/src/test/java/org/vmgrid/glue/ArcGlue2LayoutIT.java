package org.vmgrid.glue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.testing.Glue2Schema;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The layout of vmgrid's GLUE 2.0 XML against the real peer: ARC's A-REX information provider (the
 * installed nordugrid-arc-arex's {@code CEinfo.pl}, run on a private arc.conf without A-REX's daemons,
 * with one enabled runtime environment) writes its own document; vmgrid's nests the same entities at
 * the same places, and ARC's document is valid against the same installed schema except for the
 * {@code Services} element A-REX puts between AdminDomain and ComputingService, which vmgrid leaves out.
 */
class ArcGlue2LayoutIT {

    private static final Path CE_INFO = Path.of("/usr/share/arc/CEinfo.pl");
    private static final Path CONFIG_PARSER = Path.of("/usr/lib/arc/arcconfig-parser");
    /** The entities and groups whose places in the tree are compared. */
    private static final Set<String> ENTITIES = Set.of("Domains", "AdminDomain", "ComputingService", "ComputingManager",
            "ExecutionEnvironments", "ExecutionEnvironment", "ApplicationEnvironments", "ApplicationEnvironment");

    @TempDir
    static Path work;
    private static Element arcDomains;

    @BeforeAll
    static void runArcsInformationProvider() throws Exception {
        for (Path p : List.of(CE_INFO, CONFIG_PARSER)) {
            assertTrue(Files.isRegularFile(p), p + " is missing: install nordugrid-arc-arex (./test.sh does)");
        }
        for (String d : List.of("control/rte/enabled/ENV", "session", "rte/ENV", "tmp", "log", "run")) {
            Files.createDirectories(work.resolve(d));
        }
        Path rte = Files.writeString(work.resolve("rte/ENV/VM-IMAGE-debian-test"), "# description: an image\n");
        Files.createSymbolicLink(work.resolve("control/rte/enabled/ENV/VM-IMAGE-debian-test"), rte);
        Path conf = Files.writeString(work.resolve("arc.conf"), String.join("\n",
                "[common]", "hostname = localhost", "",
                "[lrms]", "lrms = fork", "",
                "[arex]", "controldir = " + work.resolve("control"), "sessiondir = " + work.resolve("session"),
                "runtimedir = " + work.resolve("rte"), "tmpdir = " + work.resolve("tmp"),
                "pidfile = " + work.resolve("run/arex.pid"), "logfile = " + work.resolve("log/arex.log"), "",
                "[arex/ws]", "wsurl = https://localhost:39443/arex", "", "[arex/ws/jobs]", "",
                "[infosys]", "logfile = " + work.resolve("log/infoprovider.log"), "",
                "[infosys/glue2]", "admindomain_name = VMGRID-LAYOUT", "",
                "[infosys/cluster]", "alias = vmgrid layout check", "",
                "[queue:fork]", "comment = fork queue", ""));
        Path runtime = work.resolve("run/arc.runtime.conf");
        run(List.of(CONFIG_PARSER.toString(), "--config", conf.toString(), "--runconfig", runtime.toString(), "--save"));
        byte[] out = run(List.of("perl", CE_INFO.toString(), "--config", runtime.toString()));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(out));
        arcDomains = child(d.getDocumentElement(), "Domains");
    }

    /** Runs a command of ARC's in the work directory; its output, or a failure with its log. */
    private static byte[] run(List<String> command) throws Exception {
        Path out = work.resolve("log/command.out");
        Path err = work.resolve("log/command.err");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile())).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(command + " did not finish in 300 s: " + read(err));
        }
        assertEquals(0, p.exitValue(), () -> command + " failed: " + read(err));
        return Files.readAllBytes(out);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }

    @Test
    void arcsOwnDocumentIsValidAgainstTheInstalledSchemaButForItsServicesElement() throws Exception {
        SAXException e = assertThrows(SAXException.class, () -> Glue2Schema.validate(text(arcDomains)));
        assertTrue(e.getMessage().contains("Services"), e.getMessage());
        Glue2Schema.validate(text(withoutServices(arcDomains)));
    }

    @Test
    void vmgridNestsTheEntitiesWhereArcDoes() throws Exception {
        Set<String> arc = entityPaths(withoutServices(arcDomains));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document ours = f.newDocumentBuilder().parse(new ByteArrayInputStream(
                new Glue2Xml().render(GlueFixtures.glue2()).getBytes(StandardCharsets.UTF_8)));
        assertEquals(arcDomains.getNamespaceURI(), ours.getDocumentElement().getNamespaceURI());
        Set<String> vmgrid = entityPaths(ours.getDocumentElement());
        assertFalse(arc.isEmpty());
        assertTrue(arc.contains("Domains/AdminDomain/ComputingService/ComputingManager/ApplicationEnvironments/ApplicationEnvironment"),
                "ARC published its runtime environment: " + arc);
        assertEquals(arc, vmgrid);
    }

    /** The paths (local names from the root) of the elements named in {@link #ENTITIES}. */
    private static Set<String> entityPaths(Element root) {
        Set<String> paths = new TreeSet<>();
        collect(root, root.getLocalName(), paths);
        return paths;
    }

    private static void collect(Element e, String path, Set<String> paths) {
        if (ENTITIES.contains(e.getLocalName())) {
            paths.add(path);
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                collect(c, path + "/" + c.getLocalName(), paths);
            }
        }
    }

    /** A copy of ARC's Domains with each Services element replaced by its children. */
    private static Element withoutServices(Element domains) {
        Element copy = (Element) domains.cloneNode(true);
        List<Element> services = new ArrayList<>();
        for (Node n = copy.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element admin) {
                for (Node m = admin.getFirstChild(); m != null; m = m.getNextSibling()) {
                    if (m instanceof Element s && s.getLocalName().equals("Services")) {
                        services.add(s);
                    }
                }
            }
        }
        for (Element s : services) {
            while (s.getFirstChild() != null) {
                s.getParentNode().insertBefore(s.getFirstChild(), s);
            }
            s.getParentNode().removeChild(s);
        }
        return copy;
    }

    private static Element child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getLocalName().equals(localName)) {
                return e;
            }
        }
        throw new AssertionError("ARC's document has no " + localName + " under " + parent.getLocalName());
    }

    private static String text(Element e) throws Exception {
        StringWriter w = new StringWriter();
        var t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        t.transform(new DOMSource(e), new StreamResult(w));
        return w.toString();
    }
}
