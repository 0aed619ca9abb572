package org.vmgrid.blahservice;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.api.VmgridException;
import org.vmgrid.config.LimitsSection;

/**
 * Checks a hook request again at submission time (the image list may have changed since the CE
 * admitted the job, and a user may have written the variables into CERequirements directly): the
 * image, the submitter's VO against the site's {@link VoPolicy}, the limits; and answers the
 * directives to print. Thread-safe when its collaborators are.
 */
public final class HookAdmission {

    /** The prefix of the tag naming a job's image. */
    public static final String IMAGE_TAG_PREFIX = "VM-IMAGE-";
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,7}");

    private final ImageCatalog catalog;
    private final LimitsSection limits;
    private final DirectiveRenderer renderer;
    private final VoPolicy policy;

    /** Admission with the site's VO policy. */
    public HookAdmission(ImageCatalog catalog, LimitsSection limits, VoPolicy policy, DirectiveRenderer renderer) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
    }

    /** Admission at a site without {@code policy.properties}: every VO may use every usable image. */
    public HookAdmission(ImageCatalog catalog, LimitsSection limits, DirectiveRenderer renderer) {
        this(catalog, limits, VoPolicy.open(), renderer);
    }

    /**
     * Answers one request: nothing for a job that asks for no VM, the directives for a usable request,
     * a refusing directive otherwise.
     *
     * @throws HookServiceException when the request names no batch system vmgrid knows (the hook always
     *     sends its own, so only a broken hook does this)
     */
    public HookAnswer answer(HookRequest r) {
        Lrms lrms = Lrms.fromKeyword(r.lrms()).filter(l -> l.keyword().equals(r.lrms()))
                .orElseThrow(() -> new HookServiceException("hook request names no known batch system; the hook "
                        + "must send lrms=slurm, pbs, sge, lsf or condor"));
        List<String> images = r.tags().stream().filter(t -> t.startsWith(IMAGE_TAG_PREFIX)).toList();
        boolean vmVariables = r.memory().isPresent() || r.cpus().isPresent() || r.network().isPresent()
                || !r.bounds().isEmpty();
        if (images.isEmpty() && !vmVariables) {
            return HookAnswer.none();
        }
        if (!r.bounds().isEmpty()) {
            return HookAnswer.refused(lrms, Refusal.BAD_REQUEST, "CERequirements bounds a Vmgrid attribute with <, <=, "
                    + "> or >=; vmgrid sets exact values itself: remove Vmgrid attributes from CERequirements");
        }
        if (images.size() != 1) {
            return HookAnswer.refused(lrms, Refusal.BAD_REQUEST, "the job names " + images.size() + " VM-IMAGE- tags; "
                    + "a VM job has exactly one image");
        }
        String uuid = images.get(0).substring(IMAGE_TAG_PREFIX.length());
        if (!ImageDescriptor.isUuid(uuid)) {
            return HookAnswer.refused(lrms, Refusal.BAD_REQUEST, "the VM-IMAGE- tag does not end in a lower-case "
                    + "image UUID; submit through the CE, which resolves image names");
        }
        ImageResolution resolution = catalog.resolve(uuid);
        if (!resolution.isUsable()) {
            return HookAnswer.refused(lrms, Refusal.IMAGE_NOT_USABLE, "image " + uuid + ": " + resolution.reason());
        }
        SubmitterIdentity submitter;
        try {
            submitter = SubmitterIdentity.read(r.vo(), r.fqans());
        } catch (HookServiceException e) {
            return HookAnswer.refused(lrms, Refusal.BAD_REQUEST, e.getMessage());
        }
        Optional<String> notAllowed = policy.refusal(resolution.image().get(), submitter.vo());
        if (notAllowed.isPresent()) {
            return HookAnswer.refused(lrms, Refusal.VO_NOT_ALLOWED, notAllowed.get());
        }
        Optional<Integer> memory = number(r.memory(), limits.memoryDefaultMiB());
        Optional<Integer> cpus = number(r.cpus(), limits.cpusDefault());
        Optional<NetworkMode> network = r.network().isEmpty() ? Optional.of(NetworkMode.NONE)
                : NetworkMode.fromKeyword(r.network().get()).filter(m -> m.keyword().equals(r.network().get()));
        if (memory.isEmpty() || cpus.isEmpty() || network.isEmpty()) {
            return HookAnswer.refused(lrms, Refusal.BAD_REQUEST, "VmgridMemory and VmgridCPUs must be whole numbers "
                    + "and VmgridNetwork none or outbound");
        }
        if (memory.get() < LimitsSection.MIN_MEMORY_MIB || memory.get() > limits.memoryMaxMiB()
                || cpus.get() < 1 || cpus.get() > limits.cpusMax()
                || network.get().ordinal() > limits.networkMax().ordinal()) {
            return HookAnswer.refused(lrms, Refusal.OVER_LIMIT, "the site allows " + LimitsSection.MIN_MEMORY_MIB + "-"
                    + limits.memoryMaxMiB() + " MiB, 1-" + limits.cpusMax() + " CPUs and network up to "
                    + limits.networkMax().keyword() + "; ask for less");
        }
        VmRequest vm = new VmRequest(resolution.image().get(), memory.get(), cpus.get(), network.get(), "");
        try {
            return HookAnswer.directives(renderer.render(lrms, vm, limits.overheadMemoryMiB()));
        } catch (VmgridException e) {
            return HookAnswer.refused(lrms, Refusal.BAD_REQUEST, e.getMessage());
        }
    }

    private static Optional<Integer> number(Optional<String> value, int whenAbsent) {
        if (value.isEmpty()) {
            return Optional.of(whenAbsent);
        }
        return WHOLE_NUMBER.matcher(value.get()).matches() ? Optional.of(Integer.parseInt(value.get())) : Optional.empty();
    }
}
