package org.vmgrid.decision;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.api.Lrms;
import org.vmgrid.config.ImagesSection;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.config.SiteSection;

/**
 * The site's one decision on a VM request, asked by every door: CREAM's Axis2 module and
 * {@code vmgrid jdl check} (a JDL), the BLAH hook service (a request file), the worker-node pilot
 * ({@code vmgrid pilot run} and its service), and the information provider, which publishes what
 * this decision allows ({@link #offeredImages()}).
 *
 * <p>A request is allowed when its image is usable in the site's trusted image catalogue and its
 * list has not expired, the {@link VoImagePolicy} lets the asker use it, and its memory, CPUs,
 * network and user data are within the {@link VmLimits} (absent values take the site's defaults).
 * Checks run in that order; the first that fails is the answer. The terms only the site may write
 * into {@code CERequirements} are {@link ReservedTerms}. The CE's doors, which hand a job to a
 * batch system, also ask {@link #batchSystem} whether that batch system's worker nodes are declared
 * ready for VM jobs.
 *
 * <p>Pure and thread-safe: the answer depends only on the request, the configuration, the
 * catalogue's current content and the clock.
 */
public final class SiteDecision {

    private final ImageCatalog catalog;
    private final VoImagePolicy policy;
    private final VmLimits limits;
    private final Set<Lrms> vmBatchSystems;
    private final Clock clock;

    /** A decision whose ready batch systems are the built-in ones ({@link SiteSection#DEFAULT_VM_BATCH_SYSTEMS}). */
    public SiteDecision(ImageCatalog catalog, VoImagePolicy policy, VmLimits limits, Clock clock) {
        this(catalog, policy, limits, SiteSection.DEFAULT_VM_BATCH_SYSTEMS, clock);
    }

    /**
     * @param vmBatchSystems the batch systems whose worker nodes run VM jobs ({@code vm.batch.systems})
     */
    public SiteDecision(ImageCatalog catalog, VoImagePolicy policy, VmLimits limits, Set<Lrms> vmBatchSystems,
            Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.vmBatchSystems = Set.copyOf(vmBatchSystems);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The decision of a site: its policy, aliases and limits from {@code config}, its ready batch
     * systems from {@code site.properties}, its images from {@code catalog}.
     */
    public static SiteDecision of(SiteConfig config, ImageCatalog catalog, Clock clock) {
        return new SiteDecision(catalog, new VoImagePolicy(config.policy(), config.images().aliases()),
                new VmLimits(config.limits()), config.site().vmBatchSystems(), clock);
    }

    /**
     * Whether a VM job may go to {@code lrms}: refused unless the site declared that batch system's
     * worker nodes ready ({@code vm.batch.systems} of {@code site.properties}), since without
     * vmgrid's worker-node side a VM job would run on the host.
     */
    public Optional<Decision.Refused> batchSystem(Lrms lrms) {
        if (vmBatchSystems.contains(lrms)) {
            return Optional.empty();
        }
        String declared = vmBatchSystems.isEmpty() ? "none"
                : vmBatchSystems.stream().sorted().map(Lrms::keyword).collect(Collectors.joining(", "));
        return Optional.of(new Decision.Refused(Decision.Refusal.BATCH_SYSTEM_NOT_READY, "this site's " + lrms.keyword()
                + " worker nodes are not declared ready for VM jobs (vm.batch.systems of site.properties: " + declared
                + "), so a VM job there would run on the host; submit it without a VM or to a CE whose batch system runs "
                + "VM jobs (site admins: install vmgrid's worker-node side, docs/install-batch.md, then declare "
                + lrms.keyword() + ")"));
    }

    /** Decides one request. Never throws for anything the request holds. */
    public Decision decide(VmAsk ask, Asker asker) {
        ImageResolution r = catalog.resolve(ask.image());
        if (r.image().isEmpty()) {
            return new Decision.Refused(Decision.Refusal.IMAGE_NOT_USABLE, ask.names().image() + " names image "
                    + ask.image() + ", which this site cannot run: " + r.reason());
        }
        ImageDescriptor image = r.image().get();
        if (!image.listExpires().isAfter(clock.instant())) {
            return new Decision.Refused(Decision.Refusal.IMAGE_NOT_USABLE, "image " + image.uuid() + ": its image list "
                    + image.listUri() + " expired on " + image.listExpires()
                    + "; ask the site to install a current list, or use another image");
        }
        var notAllowed = policy.refusal(image, ask.image(), asker);
        if (notAllowed.isPresent()) {
            return new Decision.Refused(Decision.Refusal.VO_NOT_ALLOWED, notAllowed.get());
        }
        return limits.apply(ask, image);
    }

    /** The catalogue's answer for an image UUID or alias, for a door that must compare two names of one image. */
    public ImageResolution resolve(String imageRef) {
        return catalog.resolve(imageRef);
    }

    /** Usable, unexpired images some VO may use (every VO, without a VO policy), in UUID order. */
    public List<OfferedImage> offeredImages() {
        List<OfferedImage> out = new ArrayList<>();
        var now = clock.instant();
        for (ImageDescriptor i : catalog.usableImages().stream().sorted(Comparator.comparing(ImageDescriptor::uuid)).toList()) {
            if (!i.listExpires().isAfter(now)) {
                continue;
            }
            TreeSet<String> aliases = new TreeSet<>(i.aliases());
            policy.aliases().forEach((alias, uuid) -> {
                if (uuid.equals(i.uuid())) {
                    aliases.add(alias);
                }
            });
            aliases.removeIf(a -> !ImagesSection.ALIAS.matcher(a).matches()); // tags must stay plain
            List<String> vos = policy.vosAllowed(i);
            if (policy.restricted() && vos.isEmpty()) {
                continue;
            }
            out.add(new OfferedImage(i, List.copyOf(aliases), vos));
        }
        return out;
    }

    /** The site's VO policy. */
    public VoImagePolicy policy() {
        return policy;
    }

    /** The site's limits and defaults. */
    public VmLimits limits() {
        return limits;
    }
}
