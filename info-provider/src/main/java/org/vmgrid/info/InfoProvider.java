package org.vmgrid.info;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.Lrms;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.glue.Glue2Xml;
import org.vmgrid.glue.GlueLdif;
import org.vmgrid.glue.LdifEntry;
import org.vmgrid.glue.LdifWriter;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.imagelist.ListStatus;
import org.vmgrid.imagelist.TrustedCatalog;
import org.vmgrid.info.internal.PilotAccounting;
import org.vmgrid.info.internal.SitePublisher;
import org.vmgrid.info.internal.SlurmBatchStatus;

/**
 * The GIP provider and plugin. {@link #providerLdif()} is the whole static description (what a GIP
 * {@code provider/} script prints): GLUE 1.3 and 2.0 entries, job counts from the configuration.
 * {@link #pluginLdif()} asks the batch system and prints only the changing attributes of the same
 * entries (what a GIP {@code plugin/} script prints), with the pilots' accounting of the last 24 hours
 * as OtherInfo of the service when the accounting file is on this host. Each answer is built whole before it is
 * returned; a failure throws and nothing is printed, so the BDII keeps its last good data.
 */
public final class InfoProvider {

    /** The attributes the dynamic plugin replaces (lower case). */
    static final Set<String> DYNAMIC = Set.of("gluecestaterunningjobs", "gluecestatewaitingjobs",
            "gluecestatetotaljobs", "gluecestatefreejobslots", "glue2computingservicetotaljobs",
            "glue2computingservicerunningjobs", "glue2computingservicewaitingjobs", "glue2computingmanagertotalslots",
            "glue2computingmanagerslotsusedbygridjobs", "glue2executionenvironmenttotalinstances",
            "glue2executionenvironmentusedinstances");

    private final SiteConfig config;
    private final ImageCatalog catalog;
    private final BatchStatus batch;
    private final Clock clock;

    public InfoProvider(SiteConfig config, ImageCatalog catalog, BatchStatus batch, Clock clock) {
        this.config = config;
        this.catalog = catalog;
        this.batch = batch;
        this.clock = clock;
    }

    /** The batch-system reader for the site's LRMS: SLURM is supported; others refuse with a reason. */
    public static BatchStatus batchStatusFor(SiteConfig config, CommandRunner runner) {
        if (config.site().lrms() == Lrms.SLURM) {
            return new SlurmBatchStatus(runner, Duration.ofSeconds(30));
        }
        return () -> {
            throw new InfoException("the dynamic plugin reads only SLURM so far, and this site's lrms is "
                    + config.site().lrms().keyword() + "; publish the static provider alone (vmgrid info ldif)");
        };
    }

    /**
     * The site's trusted image catalogue. A list that could not be read at all (missing, half
     * written, unparseable) is an error rather than "no images": publishing nothing would wipe the
     * site's images from the BDII over a transient fault. Expired, revoked or untrusted images are
     * simply not usable and so not published.
     */
    public static TrustedCatalog loadCatalog(SiteConfig config, Clock clock) {
        TrustedCatalog catalog = new CatalogLoader(clock).load(CatalogSources.from(config.images()));
        for (ListStatus l : catalog.lists()) {
            if (!l.usable() && l.expires().isEmpty()) {
                throw new InfoException("image list " + l.path() + " cannot be read: " + l.reason()
                        + "; fix or remove it in images.properties (nothing was published, the BDII keeps its last data)");
            }
        }
        return catalog;
    }

    /** What is published, with job counts from the configuration (static) or the batch system (dynamic). */
    public SitePublication publication(boolean askBatchSystem) {
        long configured = config.info().vmSlots() > 0 ? config.info().vmSlots() : config.pilot().slots();
        VmJobCounts counts = askBatchSystem ? batch.read() : VmJobCounts.configured(configured);
        Optional<PilotAccounting.Figures> accounting = askBatchSystem
                ? PilotAccounting.read(config.pilot().accountingFile(), clock.instant()) : Optional.empty();
        return new SitePublisher().publish(config, SiteDecision.of(config, catalog, clock), counts, accounting);
    }

    /** The GIP provider's output: every entry, GLUE 1.3 then GLUE 2.0. */
    public String providerLdif() {
        return new LdifWriter().write(entries(publication(false)));
    }

    /** The GIP plugin's output: the same DNs with only the job and slot counts, read from the batch system now. */
    public String pluginLdif() {
        List<LdifEntry> dynamic = new ArrayList<>();
        SitePublication p = publication(true);
        String service = p.glue2().service().id();
        for (LdifEntry e : entries(p)) {
            // the service's OtherInfo carries the pilots' accounting; a plugin replaces a whole attribute
            boolean isService = e.dn().rdns().get(0).value().equals(service)
                    && e.dn().rdns().get(0).attribute().equals("GLUE2ServiceID");
            List<LdifEntry.Attribute> keep = e.attributes().stream()
                    .filter(a -> DYNAMIC.contains(a.name().toLowerCase(Locale.ROOT))
                            || (isService && a.name().equals("GLUE2EntityOtherInfo"))).toList();
            if (!keep.isEmpty()) {
                dynamic.add(new LdifEntry(e.dn(), keep));
            }
        }
        return new LdifWriter().write(dynamic);
    }

    /** The GLUE 2.0 XML document, with job counts from the batch system when asked. */
    public String xml(boolean askBatchSystem) {
        return new Glue2Xml().render(publication(askBatchSystem).glue2());
    }

    static List<LdifEntry> entries(SitePublication p) {
        GlueLdif ldif = new GlueLdif();
        List<LdifEntry> all = new ArrayList<>(ldif.glue13(p.ce(), p.subCluster()));
        all.addAll(ldif.glue2(p.glue2()));
        return all;
    }

    /**
     * Writes a file whole or not at all: to a temporary file beside it, then renamed over it, so a
     * reader (the BDII) never sees half of it.
     */
    public static void writeAtomically(Path target, String text) {
        Path abs = target.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new InfoException("cannot write " + abs + ": " + e + "; check the directory exists and is writable", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the rename already happened or the write failed and was reported
                }
            }
        }
    }
}
