package org.vmgrid.info.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.config.InfoSection;
import org.vmgrid.config.LimitsSection;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.config.SiteSection;
import org.vmgrid.decision.ImageTag;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.glue.ApplicationEnvironment;
import org.vmgrid.glue.ApplicationHandle;
import org.vmgrid.glue.ComputingManager;
import org.vmgrid.glue.ComputingService;
import org.vmgrid.glue.ExecutionEnvironment;
import org.vmgrid.glue.Glue13ComputingElement;
import org.vmgrid.glue.Glue13SubCluster;
import org.vmgrid.glue.Glue2ComputingSite;
import org.vmgrid.info.PublishedImage;
import org.vmgrid.info.SitePublication;
import org.vmgrid.info.VmJobCounts;

/**
 * The policy of what is published, apart from the GLUE model: the images the site decision offers
 * ({@link SiteDecision#offeredImages()}), which tags, which identifiers. A pure function of its inputs.
 */
public final class SitePublisher {

    public static final String CAPABILITY = "executionmanagement.dynamicvmdeploy";
    public static final String TAG_CAPABLE = "VM-CAPABLE";
    public static final String TAG_IMAGE = ImageTag.PREFIX;
    public static final String HANDLE_TYPE = "vmgrid.image";

    /**
     * What the site publishes: the images {@code decision} offers (usable, unexpired, allowed to some
     * VO), the CE and its VM environment, and the pilots' accounting figures in the service's
     * OtherInfo when present. A CE whose batch system the decision does not let VM jobs go to (not
     * in {@code vm.batch.systems}) is published without the VM capability and without images, since
     * it refuses every VM job.
     */
    public SitePublication publish(SiteConfig config, SiteDecision decision, VmJobCounts counts,
            java.util.Optional<PilotAccounting.Figures> accounting) {
        SiteSection site = config.site();
        InfoSection info = config.info();
        boolean runsVms = decision.batchSystem(site.lrms()).isEmpty();
        List<PublishedImage> images = offered(decision, site);

        String serviceId = info.serviceId().isEmpty() ? site.ceHost() + "_ComputingElement" : info.serviceId();
        String managerId = serviceId + "_Manager";
        String environmentId = serviceId + "_VM";
        String hypervisor = hypervisor(config);
        LimitsSection limits = decision.limits().section(); // what the decision allows, as it allows it
        boolean outbound = limits.networkMax() == NetworkMode.OUTBOUND;

        List<String> tags = new ArrayList<>(runsVms ? List.of(TAG_CAPABLE, "VM-HYPERVISOR-" + hypervisor.toUpperCase(Locale.ROOT))
                : List.of());
        List<ApplicationEnvironment> apps = new ArrayList<>();
        TreeSet<String> vos = new TreeSet<>();
        for (PublishedImage p : images) {
            ImageDescriptor i = p.image();
            tags.add(TAG_IMAGE + i.uuid());
            p.aliases().forEach(a -> tags.add(TAG_IMAGE + a));
            vos.addAll(p.vos());
            apps.add(application(site.ceHost(), p, List.of()));
        }
        ComputingService service = new ComputingService(serviceId, site.siteName() + " CREAM CE " + site.ceId(),
                info.adminDomain().isEmpty() ? site.siteName() : info.adminDomain(), "org.glite.ce.CREAM",
                info.qualityLevel(), runsVms ? List.of("executionmanagement.jobexecution", CAPABILITY)
                        : List.of("executionmanagement.jobexecution"),
                counts.running(), counts.waiting(), serviceInfo(site, accounting));
        ComputingManager manager = new ComputingManager(managerId, site.lrms().keyword(), "", counts.totalSlots(), counts.used());
        ExecutionEnvironment environment = new ExecutionEnvironment(environmentId, info.platform(), true,
                counts.totalSlots(), counts.used(), limits.cpusMax(), info.cpuVendor(), info.cpuModel(),
                info.cpuClockSpeedMhz(), limits.memoryMaxMiB(), info.osFamily(), info.osName(), info.osVersion(),
                false, outbound, List.of("Hypervisor=" + hypervisor, "MaxVMMemoryMiB=" + limits.memoryMaxMiB(),
                        "MaxVMCPUs=" + limits.cpusMax(), "Network=" + limits.networkMax().keyword()));
        Glue13ComputingElement ce = new Glue13ComputingElement(site.ceId(), site.queue(), site.ceHost(), site.ceHost(),
                site.cePort(), site.lrms().keyword(), runsVms ? List.of(TAG_CAPABLE, CAPABILITY) : List.of(),
                vos.stream().map(v -> "VO:" + v).toList(), counts.running(), counts.waiting(), counts.free());
        Glue13SubCluster sub = new Glue13SubCluster(site.ceHost(), site.siteName() + " VM worker nodes", tags,
                glue13Platform(info.platform()), info.osName(), info.osVersion(), info.osVersion(),
                limits.memoryMaxMiB(), limits.cpusMax());
        return new SitePublication(ce, sub, new Glue2ComputingSite(service, manager, environment, apps), images);
    }

    /** The images the decision offers, or none when it lets no VM job go to the site's batch system. */
    private static List<PublishedImage> offered(SiteDecision decision, SiteSection site) {
        if (decision.batchSystem(site.lrms()).isPresent()) {
            return List.of();
        }
        return decision.offeredImages().stream().map(o -> new PublishedImage(o.image(), o.aliases(), o.vos())).toList();
    }

    /**
     * For an ARC CE (A-REX publishes the service, its manager and the runtime environments): what
     * vmgrid adds under A-REX's ComputingManager, the VM ExecutionEnvironment and one
     * ApplicationEnvironment per image {@code decision} offers, named as a CREAM site's are
     * ({@code VM-IMAGE-<uuid>}) and saying which runtime environments ask for it and who endorsed it.
     *
     * @param endorsers each image's endorser (the subject that signed its list, or {@code unsigned}), by UUID
     */
    public ArcAdditions publishArc(SiteConfig config, SiteDecision decision, java.util.Map<String, String> endorsers,
            VmJobCounts counts) {
        String host = config.site().ceHost();
        List<PublishedImage> images = offered(decision, config.site());
        String hypervisor = hypervisor(config);
        InfoSection info = config.info();
        LimitsSection limits = decision.limits().section();
        ExecutionEnvironment environment = new ExecutionEnvironment("urn:ogf:ExecutionEnvironment:" + host + ":vmgrid",
                info.platform(), true, counts.totalSlots(), counts.used(), limits.cpusMax(), info.cpuVendor(),
                info.cpuModel(), info.cpuClockSpeedMhz(), limits.memoryMaxMiB(), info.osFamily(), info.osName(),
                info.osVersion(), false, limits.networkMax() == NetworkMode.OUTBOUND, List.of("Hypervisor=" + hypervisor,
                        "MaxVMMemoryMiB=" + limits.memoryMaxMiB(), "MaxVMCPUs=" + limits.cpusMax(),
                        "Network=" + limits.networkMax().keyword(), "RuntimeEnvironment=ENV/VMGRID"));
        List<ApplicationEnvironment> apps = new ArrayList<>();
        for (PublishedImage p : images) {
            List<String> extra = new ArrayList<>();
            extra.add("RuntimeEnvironment=VMGRID/IMAGE/" + p.image().uuid());
            p.aliases().forEach(a -> extra.add("RuntimeEnvironment=VMGRID/IMAGE/" + a));
            extra.add("ImageEndorser=" + oneLine(endorsers.getOrDefault(p.image().uuid(), "unsigned")));
            apps.add(application(host, p, extra));
        }
        return new ArcAdditions(environment, apps, images);
    }

    /**
     * What vmgrid adds under an ARC CE's manager.
     *
     * @param environment the VM ExecutionEnvironment
     * @param applications one per published image
     * @param images the images published
     */
    public record ArcAdditions(ExecutionEnvironment environment, List<ApplicationEnvironment> applications,
            List<PublishedImage> images) {

        public ArcAdditions {
            applications = List.copyOf(applications);
            images = List.copyOf(images);
        }
    }

    private static List<String> serviceInfo(SiteSection site, java.util.Optional<PilotAccounting.Figures> accounting) {
        List<String> info = new ArrayList<>(List.of("CEID=" + site.ceId()));
        accounting.ifPresent(a -> info.addAll(a.otherInfo()));
        return info;
    }

    private static ApplicationEnvironment application(String ceHost, PublishedImage p, List<String> extraInfo) {
        ImageDescriptor i = p.image();
        String id = "urn:vmgrid:" + ceHost + ":image:" + i.uuid(); // a URI, as GLUE 2.0 IDs must be
        List<ApplicationHandle> handles = new ArrayList<>();
        handles.add(new ApplicationHandle(id + ":uuid", HANDLE_TYPE, TAG_IMAGE + i.uuid()));
        p.aliases().forEach(a -> handles.add(new ApplicationHandle(id + ":alias:" + a, HANDLE_TYPE, TAG_IMAGE + a)));
        List<String> other = new ArrayList<>();
        other.add("ImageUUID=" + i.uuid());
        other.add("ImageSHA512=" + i.sha512());
        other.add("ImageListURI=" + i.listUri());
        other.add("ImageListExpires=" + i.listExpires());
        p.aliases().forEach(a -> other.add("ImageAlias=" + a));
        p.vos().forEach(v -> other.add("VO=" + v));
        other.addAll(extraInfo);
        return new ApplicationEnvironment(id, TAG_IMAGE + i.uuid(), oneLine(i.version()), "installednotverified",
                oneLine(i.title()), other, handles);
    }

    /**
     * Free text from an image list on one line: control characters (and Unicode line separators)
     * become spaces, surrounding blanks go. Our LDIF encoder would carry them safely in base64, but
     * bdii-update 6.0.0 decodes values and writes its ldapmodify changes raw, so a line break in a
     * changed title would inject LDIF lines into the BDII's own update.
     */
    static String oneLine(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? ' ' : c));
        return sb.toString().strip();
    }

    /** The info.properties choice, else kvm when the pilot is pinned to kvm, else qemu. */
    static String hypervisor(SiteConfig config) {
        String h = config.info().hypervisor();
        if (!h.isEmpty()) {
            return h;
        }
        return "kvm".equals(config.pilot().hypervisor()) ? "kvm" : "qemu";
    }

    private static String glue13Platform(String glue2) {
        return switch (glue2) {
            case "amd64" -> "x86_64";
            case "i386" -> "i686";
            default -> glue2;
        };
    }
}
