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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.GuestAgent;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.internal.job.JobFiles;
import org.w3c.dom.Element;

public class DomainXmlEncoderTest {

    public static final ImageDescriptor IMAGE_FOR_TESTS = new ImageDescriptor("0b1c2d3e-4f50-4617-8899-aabbccddeeff", "t", "1",
            URI.create("file:///images/a.qcow2"), 1024, "a".repeat(128), URI.create("file:///lists/l.json"),
            Instant.parse("2030-01-01T00:00:00Z"), List.of());
    static final JobFiles FILES = new JobFiles(Path.of("/state/job-1"), Path.of("/home/user/job & <dir>"));

    static final Disk.BaseImage BASE = new Disk.BaseImage(Path.of("/cache/0b1c2d3e.img"), "qcow2");
    static final JobUser POOL_USER = new JobUser("pool001", 10001, 10002);

    static PilotJob job(NetworkMode net, int mem, int cpus) {
        return new PilotJob("job-1", new VmRequest(IMAGE_FOR_TESTS, mem, cpus, net, ""), List.of("true"), Map.of(),
                Path.of("/home/user/job & <dir>"), Duration.ofSeconds(60), POOL_USER);
    }

    private static Domain plan(NetworkMode site, PilotJob job, JobFiles files, DomainType type, long pid) {
        return new DomainPlan(site, Optional.of("vmgrid-guests")).plan(job, files, BASE, type, pid, true);
    }

    private final DomainXmlEncoder encoder = new DomainXmlEncoder();

    @Test
    void rendersTheGoldenDomainForAJobWithoutNetwork() throws IOException {
        Domain d = plan(NetworkMode.OUTBOUND, job(NetworkMode.NONE, 128, 2), FILES, DomainType.QEMU, 4242);
        XmlTrees.assertSameTree(golden("job-none.xml"), encoder.encode(d));
    }

    @Test
    void rendersTheGoldenDomainForAnOutboundJobUnderKvm() throws IOException {
        Domain d = plan(NetworkMode.OUTBOUND, job(NetworkMode.OUTBOUND, 256, 1), FILES, DomainType.KVM, 1);
        XmlTrees.assertSameTree(golden("job-outbound-kvm.xml"), encoder.encode(d));
    }

    @Test
    void rendersTheGoldenDomainForAJobOnAStockCloudInitImage() throws IOException {
        PilotJob plain = job(NetworkMode.NONE, 128, 2);
        PilotJob job = new PilotJob(plain.jobId(), new VmRequest(IMAGE_FOR_TESTS.withGuestAgent(GuestAgent.CLOUD_INIT),
                128, 2, NetworkMode.NONE, ""), plain.argv(), Map.of(), plain.workdir(), plain.timeout(), POOL_USER);
        Domain d = plan(NetworkMode.OUTBOUND, job, FILES, DomainType.QEMU, 4242);
        XmlTrees.assertSameTree(golden("job-cloud-init.xml"), encoder.encode(d));
    }

    @Test
    void aJobdirDiskSerialThatIsNotLettersDigitsAndDashesIsRefused() {
        for (String serial : List.of("", "a b", "x<y", "123456789012345678901")) {
            assertThrows(IllegalArgumentException.class, () -> new JobdirDisk(Path.of("/d"), "vdd", serial, true), serial);
        }
    }

    @Test
    void theTreeComparisonSeesADifferentAttribute() throws IOException {
        Domain d = plan(NetworkMode.OUTBOUND, job(NetworkMode.NONE, 128, 2), FILES, DomainType.QEMU, 4243);
        assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> XmlTrees.assertSameTree(golden("job-none.xml"), encoder.encode(d)));
    }

    @Test
    void outboundJobOnAnOutboundSiteGetsExactlyOneUserModeInterface() {
        Domain d = plan(NetworkMode.OUTBOUND, job(NetworkMode.OUTBOUND, 256, 1), FILES, DomainType.KVM, 1);
        Element root = XmlTrees.parse(encoder.encode(d));
        assertEquals("kvm", root.getAttribute("type"));
        assertEquals(1, root.getElementsByTagName("interface").getLength());
        Element iface = (Element) root.getElementsByTagName("interface").item(0);
        assertEquals("user", iface.getAttribute("type"));
        assertEquals("256", root.getElementsByTagName("memory").item(0).getTextContent());
    }

    @Test
    void anOutboundGuestsQemuRunsWithTheOutboundGroupTheFirewallKeysOnAndWithoutOneGetsNoNetwork() {
        Element root = XmlTrees.parse(encoder.encode(plan(NetworkMode.OUTBOUND, job(NetworkMode.OUTBOUND, 128, 1), FILES,
                DomainType.QEMU, 1)));
        assertEquals("+10001:vmgrid-guests", root.getElementsByTagName("label").item(0).getTextContent());
        DomainPlan unenforced = new DomainPlan(NetworkMode.OUTBOUND, Optional.empty());
        Domain d = unenforced.plan(job(NetworkMode.OUTBOUND, 128, 1), FILES, BASE, DomainType.QEMU, 1, true);
        root = XmlTrees.parse(encoder.encode(d));
        assertEquals(0, root.getElementsByTagName("interface").getLength());
        assertEquals("+10001:+10002", root.getElementsByTagName("label").item(0).getTextContent());
        assertTrue(unenforced.outboundUnenforced(NetworkMode.OUTBOUND));
    }

    @Test
    void outboundJobOnASiteThatForbidsNetworkGetsNoInterface() {
        Domain d = plan(NetworkMode.NONE, job(NetworkMode.OUTBOUND, 128, 1), FILES, DomainType.QEMU, 1);
        assertEquals(0, XmlTrees.parse(encoder.encode(d)).getElementsByTagName("interface").getLength());
    }

    @Test
    void noHostPathButTheJobsOwnFilesAndItsWorkdir() {
        Domain d = plan(NetworkMode.OUTBOUND, job(NetworkMode.OUTBOUND, 128, 1), FILES, DomainType.QEMU, 1);
        Element root = XmlTrees.parse(encoder.encode(d));
        var sources = root.getElementsByTagName("source");
        for (int i = 0; i < sources.getLength(); i++) {
            Element s = (Element) sources.item(i);
            String path = s.hasAttribute("file") ? s.getAttribute("file")
                    : s.hasAttribute("dir") ? s.getAttribute("dir") : s.getAttribute("path");
            assertTrue(path.startsWith("/state/job-1/") || path.equals("/home/user/job & <dir>")
                    || path.equals(BASE.file().toString()), path);
        }
    }

    @Test
    void qemuRunsAsTheJobsUserAndLibvirtLeavesTheSharedBaseAndTheOutputFilesAlone() {
        Element root = XmlTrees.parse(encoder.encode(plan(NetworkMode.NONE, job(NetworkMode.NONE, 128, 1), FILES,
                DomainType.QEMU, 1)));
        var labels = root.getElementsByTagName("seclabel");
        Element label = (Element) labels.item(labels.getLength() - 1);
        assertEquals(root, label.getParentNode(), "the domain's own label, after its devices");
        assertEquals("static", label.getAttribute("type"));
        assertEquals("dac", label.getAttribute("model"));
        assertEquals("yes", label.getAttribute("relabel"));
        assertEquals("+10001:+10002", label.getElementsByTagName("label").item(0).getTextContent());
        int keptOwner = 0;
        for (int i = 0; i < labels.getLength() - 1; i++) {
            Element l = (Element) labels.item(i);
            assertEquals("no", l.getAttribute("relabel"));
            Element source = (Element) l.getParentNode();
            String path = source.hasAttribute("file") ? source.getAttribute("file") : source.getAttribute("path");
            assertTrue(path.equals(BASE.file().toString()) || path.matches("/state/job-1/(stdout|stderr|status|console\\.log)"),
                    path);
            keptOwner++;
        }
        assertEquals(5, keptOwner, "the base image and the four files the guest writes");
        Element chainEnd = (Element) ((Element) root.getElementsByTagName("backingStore").item(0))
                .getElementsByTagName("backingStore").item(0);
        assertEquals(0, chainEnd.getChildNodes().getLength(), "the base image has no backing file of its own");
    }

    @Test
    void theSharedDirectoryIsMappedSoTheGuestCannotMakeSetuidDeviceOrLinkFilesOnTheHost() {
        Element root = XmlTrees.parse(encoder.encode(plan(NetworkMode.NONE, job(NetworkMode.NONE, 128, 1), FILES,
                DomainType.QEMU, 1)));
        Element fs = (Element) root.getElementsByTagName("filesystem").item(0);
        assertEquals("mapped", fs.getAttribute("accessmode"));
        assertEquals("0600", fs.getAttribute("fmode"));
        assertEquals("0700", fs.getAttribute("dmode"));
    }

    @Test
    void aLibvirtThatRunsQemuAsItsOwnUserGetsNoLabelAndNobodyGetsRoot() {
        Domain d = new DomainPlan(NetworkMode.NONE, Optional.empty()).plan(job(NetworkMode.NONE, 128, 1), FILES, BASE, DomainType.QEMU, 1,
                false);
        assertEquals(0, XmlTrees.parse(encoder.encode(d)).getElementsByTagName("label").getLength());
        PilotJob ofRoot = job(NetworkMode.NONE, 128, 1).forUser(new JobUser("root", 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new DomainPlan(NetworkMode.NONE, Optional.empty()).plan(ofRoot, FILES, BASE, DomainType.QEMU, 1, true));
    }

    @Test
    void markupInAPathIsEscapedNotInterpreted() {
        JobFiles hostile = new JobFiles(Path.of("/state/job-1"), Path.of("/w/'\"/><disk type='block'"));
        Domain d = plan(NetworkMode.NONE, job(NetworkMode.NONE, 128, 1), hostile, DomainType.QEMU, 1);
        Element root = XmlTrees.parse(encoder.encode(d));
        assertEquals(3, root.getElementsByTagName("disk").getLength());
        assertEquals("/w/'\"/><disk type='block'",
                ((Element) ((Element) root.getElementsByTagName("filesystem").item(0)).getElementsByTagName("source").item(0))
                        .getAttribute("dir"));
    }

    /** Every value of the hostile corpus in the job directory's path is refused or comes out as that path, nothing more. */
    @Test
    void theHostileCorpusInAPathIsRefusedOrStaysThePath() {
        for (String v : org.vmgrid.testing.HostileText.VALUES) {
            Path workdir;
            try {
                workdir = Path.of("/w", v);
            } catch (java.nio.file.InvalidPathException e) {
                continue; // no such path can exist
            }
            JobFiles files = new JobFiles(Path.of("/state/job-1"), workdir);
            Domain d;
            try {
                d = plan(NetworkMode.NONE, job(NetworkMode.NONE, 128, 1), files, DomainType.QEMU, 1);
            } catch (IllegalArgumentException e) {
                continue; // refused, typed
            }
            Element root = XmlTrees.parse(encoder.encode(d));
            String shown = org.vmgrid.testing.Fuzz.show(v);
            assertEquals(3, root.getElementsByTagName("disk").getLength(), shown);
            assertEquals(1, root.getElementsByTagName("filesystem").getLength(), shown);
            assertEquals(workdir.toString(), ((Element) ((Element) root.getElementsByTagName("filesystem").item(0))
                    .getElementsByTagName("source").item(0)).getAttribute("dir"), shown);
        }
    }

    @Test
    void controlCharactersInAHostPathAreRefused() {
        JobFiles bad = new JobFiles(Path.of("/state/job-1"), Path.of("/w/a\u0001b"));
        assertThrows(IllegalArgumentException.class,
                () -> plan(NetworkMode.NONE, job(NetworkMode.NONE, 128, 1), bad, DomainType.QEMU, 1));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = DomainXmlEncoderTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
