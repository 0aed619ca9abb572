package org.vmgrid.info;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.glue.Dn;
import org.vmgrid.glue.GlueLdif;
import org.vmgrid.glue.LdifEntry;
import org.vmgrid.glue.LdifWriter;
import org.vmgrid.imagelist.ImageStatus;
import org.vmgrid.imagelist.ListStatus;
import org.vmgrid.imagelist.TrustedCatalog;
import org.vmgrid.info.internal.SitePublisher;

/**
 * vmgrid's part of an ARC CE's LDAP information system. A-REX's infoprovider publishes the
 * ComputingService ({@code urn:ogf:ComputingService:<host>:arex}), its ComputingManager
 * ({@code urn:ogf:ComputingManager:<host>:<lrms>}) and every enabled runtime environment; it cannot
 * say that jobs may run in VMs nor describe the images. {@link #providerLdif()} (a GIP provider
 * under bdii-update) adds, under A-REX's manager, vmgrid's VM ExecutionEnvironment
 * ({@code GLUE2ExecutionEnvironmentVirtualMachine: TRUE}) and one ApplicationEnvironment per
 * published image ({@code VM-IMAGE-<uuid>}, as a CREAM site publishes it, with title, version,
 * checksum, endorser and the runtime environments that ask for it); {@link #pluginLdif()} (a GIP
 * plugin) adds the VM capability to A-REX's service. {@code <host>} is site.properties'
 * {@code ce.host}, which must be arc.conf's {@code hostname}.
 */
public final class ArcInformation {

    /** Where A-REX's infoprovider puts its GLUE 2.0 services. */
    public static final Dn SERVICES = Dn.suffix("GLUE2GroupID=services,o=glue");

    private final SiteConfig config;
    private final TrustedCatalog catalog;
    private final Clock clock;

    public ArcInformation(SiteConfig config, TrustedCatalog catalog, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String serviceId() {
        return "urn:ogf:ComputingService:" + config.site().ceHost() + ":arex";
    }

    public String managerId() {
        return "urn:ogf:ComputingManager:" + config.site().ceHost() + ":" + config.site().lrms().keyword();
    }

    /** A-REX's job submission endpoint, published as the service's {@code CEID}. */
    public String endpoint() {
        return "https://" + config.site().ceHost() + ":" + config.site().cePort() + "/arex";
    }

    /** The GIP provider's output: the VM ExecutionEnvironment and the images, under A-REX's manager. */
    public String providerLdif() {
        long slots = config.info().vmSlots() > 0 ? config.info().vmSlots() : config.pilot().slots();
        SitePublisher.ArcAdditions a = new SitePublisher().publishArc(config, SiteDecision.of(config, catalog, clock),
                endorsers(), VmJobCounts.configured(slots));
        Dn manager = SERVICES.child("GLUE2ServiceID", serviceId()).child("GLUE2ManagerID", managerId());
        return new LdifWriter().write(new GlueLdif().glue2Resources(manager, managerId(), a.environment(),
                a.applications()));
    }

    /** The GIP plugin's output: A-REX's service gains the VM capability and its CEID. */
    public String pluginLdif() {
        LdifEntry service = LdifEntry.builder(SERVICES.child("GLUE2ServiceID", serviceId()))
                .add("GLUE2ServiceCapability", SitePublisher.CAPABILITY)
                .add("GLUE2EntityOtherInfo", "CEID=" + endpoint())
                .build();
        return new LdifWriter().writeAdditions(List.of(service));
    }

    /** Each usable image's endorser: the subject that signed its list, or {@code unsigned}. */
    private Map<String, String> endorsers() {
        Map<String, String> out = new HashMap<>();
        for (ListStatus l : catalog.lists()) {
            for (ImageStatus i : l.images()) {
                i.image().ifPresent(d -> out.putIfAbsent(d.uuid(), l.signer().orElse("unsigned")));
            }
        }
        return out;
    }
}
