package org.vmgrid.pilot.internal.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.internal.job.JobFiles;
import org.w3c.dom.Element;

public class DomainXmlEncoderTest {

    public static final ImageDescriptor IMAGE_FOR_TESTS = new ImageDescriptor("0b1c2d3e-4f50-4617-8899-aabbccddeeff", "t", "1",
            URI.create("file:///images/a.qcow2"), 1024, "a".repeat(128), URI.create("file:///lists/l.json"),
            Instant.parse("2030-01-01T00:00:00Z"), List.of());
    static final JobFiles FILES = new JobFiles(Path.of("/state/job-1"), Path.of("/home/user/job & <dir>"));

    static PilotJob job(NetworkMode net, int mem, int cpus) {
        return new PilotJob("job-1", new VmRequest(IMAGE_FOR_TESTS, mem, cpus, net, ""), List.of("true"), Map.of(),
                Path.of("/home/user/job & <dir>"), Duration.ofSeconds(60));
    }

    private final DomainXmlEncoder encoder = new DomainXmlEncoder();

    @Test
    void rendersTheGoldenDomainForAJobWithoutNetwork() throws IOException {
        Domain d = new DomainPlan(NetworkMode.OUTBOUND).plan(job(NetworkMode.NONE, 128, 2), FILES, DomainType.QEMU, 4242);
        XmlTrees.assertSameTree(golden("job-none.xml"), encoder.encode(d));
    }

    @Test
    void rendersTheGoldenDomainForAnOutboundJobUnderKvm() throws IOException {
        Domain d = new DomainPlan(NetworkMode.OUTBOUND).plan(job(NetworkMode.OUTBOUND, 256, 1), FILES, DomainType.KVM, 1);
        XmlTrees.assertSameTree(golden("job-outbound-kvm.xml"), encoder.encode(d));
    }

    @Test
    void theTreeComparisonSeesADifferentAttribute() throws IOException {
        Domain d = new DomainPlan(NetworkMode.OUTBOUND).plan(job(NetworkMode.NONE, 128, 2), FILES, DomainType.QEMU, 4243);
        assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> XmlTrees.assertSameTree(golden("job-none.xml"), encoder.encode(d)));
    }

    @Test
    void outboundJobOnAnOutboundSiteGetsExactlyOneUserModeInterface() {
        Domain d = new DomainPlan(NetworkMode.OUTBOUND).plan(job(NetworkMode.OUTBOUND, 256, 1), FILES, DomainType.KVM, 1);
        Element root = XmlTrees.parse(encoder.encode(d));
        assertEquals("kvm", root.getAttribute("type"));
        assertEquals(1, root.getElementsByTagName("interface").getLength());
        Element iface = (Element) root.getElementsByTagName("interface").item(0);
        assertEquals("user", iface.getAttribute("type"));
        assertEquals("256", root.getElementsByTagName("memory").item(0).getTextContent());
    }

    @Test
    void outboundJobOnASiteThatForbidsNetworkGetsNoInterface() {
        Domain d = new DomainPlan(NetworkMode.NONE).plan(job(NetworkMode.OUTBOUND, 128, 1), FILES, DomainType.QEMU, 1);
        assertEquals(0, XmlTrees.parse(encoder.encode(d)).getElementsByTagName("interface").getLength());
    }

    @Test
    void noHostPathButTheJobsOwnFilesAndItsWorkdir() {
        Domain d = new DomainPlan(NetworkMode.OUTBOUND).plan(job(NetworkMode.OUTBOUND, 128, 1), FILES, DomainType.QEMU, 1);
        Element root = XmlTrees.parse(encoder.encode(d));
        var sources = root.getElementsByTagName("source");
        for (int i = 0; i < sources.getLength(); i++) {
            Element s = (Element) sources.item(i);
            String path = s.hasAttribute("file") ? s.getAttribute("file")
                    : s.hasAttribute("dir") ? s.getAttribute("dir") : s.getAttribute("path");
            assertTrue(path.startsWith("/state/job-1/") || path.equals("/home/user/job & <dir>"), path);
        }
    }

    @Test
    void markupInAPathIsEscapedNotInterpreted() {
        JobFiles hostile = new JobFiles(Path.of("/state/job-1"), Path.of("/w/'\"/><disk type='block'"));
        Domain d = new DomainPlan(NetworkMode.NONE).plan(job(NetworkMode.NONE, 128, 1), hostile, DomainType.QEMU, 1);
        Element root = XmlTrees.parse(encoder.encode(d));
        assertEquals(3, root.getElementsByTagName("disk").getLength());
        assertEquals("/w/'\"/><disk type='block'",
                ((Element) ((Element) root.getElementsByTagName("filesystem").item(0)).getElementsByTagName("source").item(0))
                        .getAttribute("dir"));
    }

    @Test
    void controlCharactersInAHostPathAreRefused() {
        JobFiles bad = new JobFiles(Path.of("/state/job-1"), Path.of("/w/a\u0001b"));
        assertThrows(IllegalArgumentException.class,
                () -> new DomainPlan(NetworkMode.NONE).plan(job(NetworkMode.NONE, 128, 1), bad, DomainType.QEMU, 1));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = DomainXmlEncoderTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
