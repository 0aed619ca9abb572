package org.vmgrid.cream;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.namespace.QName;
import org.apache.axiom.om.OMAbstractFactory;
import org.apache.axiom.om.OMElement;
import org.apache.axiom.om.OMFactory;
import org.apache.axiom.om.OMNamespace;
import org.apache.axis2.AxisFault;
import org.apache.axis2.addressing.EndpointReference;
import org.apache.axis2.client.Options;
import org.apache.axis2.client.ServiceClient;
import org.apache.axis2.context.ConfigurationContext;
import org.apache.axis2.context.ConfigurationContextFactory;
import org.apache.axis2.engine.AxisConfiguration;
import org.apache.axis2.transport.http.SimpleHTTPServer;

/**
 * A real Axis2 2.0 engine on a free loopback port, set up as docs/install-cream.md tells a site
 * admin: the built vmgrid.mar in the repository's modules/, and in axis2.xml
 * {@code <module ref="vmgrid"/>} and the {@code vmgrid.config.dir} parameter. It hosts the stand-in
 * CREAM2 service; {@link #jobRegister} is a client sending CREAM2's JobRegister message.
 */
public final class EmbeddedCream implements AutoCloseable {

    /** One job description to send. */
    public record Description(String id, String jdl) {
    }

    private final StandInCream2 cream = new StandInCream2();
    private final SimpleHTTPServer server;
    private final ConfigurationContext clientContext;
    private final int port;

    public EmbeddedCream(Path dir, Path siteConfig) throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repository"));
        Files.createDirectories(repo.resolve("services"));
        Path modules = Files.createDirectories(repo.resolve("modules"));
        Files.copy(Path.of(System.getProperty("vmgrid.mar", "target/vmgrid-cream-module.mar")), modules.resolve("vmgrid.mar"));
        Path axis2xml = repo.resolve("axis2.xml");
        Files.writeString(axis2xml, axis2Xml(siteConfig));
        ConfigurationContext ctx = ConfigurationContextFactory.createConfigurationContextFromFileSystem(repo.toString(),
                axis2xml.toString());
        AxisConfiguration config = ctx.getAxisConfiguration();
        config.addService(cream.service());
        StandInAuthorization authz = new StandInAuthorization();
        authz.init(new org.apache.axis2.description.HandlerDescription("stand-in-cream-authz"));
        for (Object phase : config.getInFlowPhases()) {
            if (phase instanceof org.apache.axis2.engine.Phase p && p.getPhaseName().equals("Security")) {
                p.addHandler(authz);
            }
        }
        port = freePort();
        server = new SimpleHTTPServer(ctx, port);
        server.start();
        clientContext = ConfigurationContextFactory.createConfigurationContextFromFileSystem(null, null);
    }

    /** Axis2's default axis2.xml with the two additions of docs/install-cream.md. */
    private static String axis2Xml(Path siteConfig) throws IOException {
        String xml;
        try (InputStream in = AxisConfiguration.class.getResourceAsStream("/org/apache/axis2/deployment/axis2_default.xml")) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String additions = "    <module ref=\"vmgrid\"/>\n"
                + "    <parameter name=\"vmgrid.config.dir\">" + siteConfig + "</parameter>\n";
        int end = xml.lastIndexOf("</axisconfig>");
        return xml.substring(0, end) + additions + xml.substring(end);
    }

    public StandInCream2 cream() {
        return cream;
    }

    /**
     * Sends one JobRegister call; answers CREAM's response.
     *
     * @throws AxisFault the SOAP fault the call was answered with
     */
    public OMElement jobRegister(List<Description> descriptions) throws AxisFault {
        return jobRegister(descriptions, null);
    }

    /**
     * Sends one JobRegister call as a user whose proxy CREAM's authorization (the stand-in
     * {@link StandInAuthorization}) found to be of VO {@code authenticatedVo} (null: no VO property).
     *
     * @throws AxisFault the SOAP fault the call was answered with
     */
    public OMElement jobRegister(List<Description> descriptions, String authenticatedVo) throws AxisFault {
        OMFactory f = OMAbstractFactory.getOMFactory();
        OMNamespace ns = f.createOMNamespace(StandInCream2.TYPES_NS, "types");
        OMElement request = f.createOMElement("JobRegisterRequest", ns);
        for (Description d : descriptions) {
            OMElement jd = f.createOMElement("JobDescriptionList", ns, request);
            f.createOMElement("jobDescriptionId", ns, jd).setText(d.id());
            f.createOMElement("JDL", ns, jd).setText(d.jdl());
            f.createOMElement("autoStart", ns, jd).setText("true");
            f.createOMElement("delegationId", ns, jd).setText("deleg-1");
        }
        ServiceClient client = new ServiceClient(clientContext, null);
        try {
            Options o = client.getOptions();
            o.setTo(new EndpointReference("http://127.0.0.1:" + port + "/axis2/services/CREAM2"));
            o.setAction(StandInCream2.JOB_REGISTER_ACTION);
            o.setTimeOutInMilliSeconds(30_000);
            if (authenticatedVo != null) {
                client.addStringHeader(StandInAuthorization.VO_HEADER, authenticatedVo);
            }
            OMElement response = client.sendReceive(request);
            response.build();
            return response;
        } finally {
            client.cleanupTransport();
            client.cleanup();
        }
    }

    public static List<String> jobIds(OMElement response) {
        List<String> ids = new java.util.ArrayList<>();
        for (java.util.Iterator<OMElement> it = response.getChildrenWithName(new QName(StandInCream2.TYPES_NS, "result"));
                it.hasNext();) {
            ids.add(it.next().getFirstChildWithName(new QName(StandInCream2.TYPES_NS, "jobId"))
                    .getFirstChildWithName(new QName(StandInCream2.TYPES_NS, "id")).getText());
        }
        return ids;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws AxisFault {
        server.stop();
        clientContext.terminate();
    }
}
