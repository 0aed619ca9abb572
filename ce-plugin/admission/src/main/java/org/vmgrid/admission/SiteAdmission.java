package org.vmgrid.admission;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.vmgrid.admission.internal.Rejection;
import org.vmgrid.admission.internal.RequestExtractor;
import org.vmgrid.admission.internal.RequestedVm;
import org.vmgrid.api.Admission;
import org.vmgrid.api.AdmissionService;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.api.JobContext;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.config.LimitsSection;
import org.vmgrid.config.PolicySection;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.JdlSyntaxException;

/**
 * The site's admission policy: the image must be usable in the trusted catalogue, the submitter's VO
 * must be allowed to use it, and memory, CPUs, network and user data must be within the site's
 * limits (absent values take the site's defaults). Pure and thread-safe: one instance serves every
 * job.
 */
public final class SiteAdmission implements AdmissionService {

    private final SiteConfig config;
    private final ImageCatalog catalog;
    private final Clock clock;
    private final DirectiveEncoder encoder = new DirectiveEncoder();

    public SiteAdmission(SiteConfig config, ImageCatalog catalog, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Admission admit(String jdl, JobContext context) {
        ClassAd ad;
        try {
            ad = Jdl.parse(jdl);
        } catch (JdlSyntaxException e) {
            return Admission.malformed("the JDL is not valid: " + e.getMessage());
        }
        return admit(ad, context);
    }

    /** Parses (as strict UTF-8) and admits one JDL read from a file or the network. */
    public Admission admit(byte[] jdl, JobContext context) {
        ClassAd ad;
        try {
            ad = Jdl.parse(jdl);
        } catch (JdlSyntaxException e) {
            return Admission.malformed("the JDL is not valid: " + e.getMessage());
        }
        return admit(ad, context);
    }

    /** Admits an already parsed JDL. */
    public Admission admit(ClassAd jdl, JobContext context) {
        try {
            Optional<RequestedVm> request = RequestExtractor.extract(jdl);
            return request.isEmpty() ? Admission.plainJob() : admitVm(request.get(), context);
        } catch (Rejection r) {
            return r.admission();
        }
    }

    private Admission admitVm(RequestedVm req, JobContext context) {
        ImageDescriptor image = resolve(req.imageRef(), req.source());
        if (req.tagRef().isPresent()) {
            ImageDescriptor tagged = resolve(req.tagRef().get(), "the " + RequestExtractor.TAG_PREFIX + " tag");
            if (!tagged.uuid().equals(image.uuid())) {
                throw Rejection.refused(req.source() + " (" + req.imageRef() + ") and the " + RequestExtractor.TAG_PREFIX
                        + " tag (" + req.tagRef().get() + ") name different images; name one image, or the same in both");
            }
        }
        if (!image.listExpires().isAfter(clock.instant())) {
            throw Rejection.refused("image " + image.uuid() + ": its image list " + image.listUri() + " expired on "
                    + image.listExpires() + "; ask the site to install a current list, or use another image");
        }
        checkPolicy(image, req.imageRef(), context);
        LimitsSection limits = config.limits();
        long memory = req.memoryMiB().orElse((long) limits.memoryDefaultMiB());
        if (memory < LimitsSection.MIN_MEMORY_MIB || memory > limits.memoryMaxMiB()) {
            throw Rejection.refused(RequestExtractor.RECORD + ".Memory = " + memory + " MiB is outside what this site "
                    + "allows (" + LimitsSection.MIN_MEMORY_MIB + " to " + limits.memoryMaxMiB() + " MiB); ask for "
                    + (memory < LimitsSection.MIN_MEMORY_MIB ? "at least " + LimitsSection.MIN_MEMORY_MIB
                            : "at most " + limits.memoryMaxMiB()));
        }
        long cpus = req.cpus().orElse((long) limits.cpusDefault());
        if (cpus < 1 || cpus > limits.cpusMax()) {
            throw Rejection.refused(RequestExtractor.RECORD + ".CPUs = " + cpus + " is outside what this site allows "
                    + "(1 to " + limits.cpusMax() + "); ask for " + (cpus < 1 ? "at least 1" : "at most " + limits.cpusMax()));
        }
        NetworkMode network = req.network().orElse(NetworkMode.NONE);
        if (network.compareTo(limits.networkMax()) > 0) {
            throw Rejection.refused(RequestExtractor.RECORD + ".Network = \"" + network.keyword() + "\" is not offered "
                    + "by this site (it allows at most \"" + limits.networkMax().keyword() + "\"); use Network = \""
                    + limits.networkMax().keyword() + "\" or stage data through the sandbox");
        }
        String userData = req.userData().orElse("");
        int bytes = userData.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.userDataMaxBytes()) {
            throw Rejection.refused(RequestExtractor.RECORD + ".UserData is " + bytes + " bytes; this site accepts at "
                    + "most " + limits.userDataMaxBytes() + "; shrink it or fetch the rest from inside the VM");
        }
        VmRequest vm = new VmRequest(image, (int) memory, (int) cpus, network, userData);
        try {
            return Admission.vmJob(vm, encoder.render(context.lrms(), vm, limits.overheadMemoryMiB()));
        } catch (UnsafeDirectiveException e) {
            throw Rejection.refused("the site cannot express this request to its batch system safely: " + e.getMessage());
        }
    }

    private ImageDescriptor resolve(String ref, String source) {
        ImageResolution r = catalog.resolve(ref);
        if (r.image().isEmpty()) {
            throw Rejection.refused(source + " names image " + ref + ", which this site cannot run: " + r.reason());
        }
        return r.image().get();
    }

    private void checkPolicy(ImageDescriptor image, String ref, JobContext context) {
        PolicySection policy = config.policy();
        if (!policy.restricted()) {
            return;
        }
        Optional<String> vo = context.vo().or(() -> context.fqans().stream().findFirst()
                .map(f -> f.replaceFirst("^/", "").replaceFirst("/.*$", "")).filter(v -> !v.isEmpty()));
        if (vo.isEmpty()) {
            throw Rejection.refused("this site lets each VO use only the images its policy names, and the job's VO is "
                    + "not known; submit with a VOMS proxy of your VO and set VirtualOrganisation = \"<your VO>\" in the JDL");
        }
        List<String> allowed = policy.imagesByVo().get(vo.get());
        if (allowed == null || allowed.isEmpty()) {
            throw Rejection.refused("VO " + vo.get() + " may use no VM image at this site; run the job without a VM, or "
                    + "ask the site to allow your VO an image");
        }
        Map<String, String> aliases = config.images().aliases();
        for (String entry : allowed) {
            if (entry.equals("*") || entry.equals(image.uuid()) || image.uuid().equals(aliases.get(entry))) {
                return;
            }
        }
        throw Rejection.refused("VO " + vo.get() + " may not use image " + ref + " at this site; it may use: "
                + String.join(", ", allowed));
    }
}
