package org.vmgrid.blahservice;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.api.VmgridException;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.decision.Asker;
import org.vmgrid.decision.Decision;
import org.vmgrid.decision.IdentityException;
import org.vmgrid.decision.ImageTag;
import org.vmgrid.decision.ReservedTerms;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.decision.VmAsk;

/**
 * The hook door: reads the request file BLAH wrote into what was asked and who asks, and asks the
 * site's {@link SiteDecision} again at submission time (the image list may have changed since the
 * CE admitted the job); answers the directives to print, or a refusal. A VM request for a batch
 * system whose worker nodes the site has not declared ready is refused first, whatever it asks.
 *
 * <p>BLAH's unwinder writes every {@code attribute OP literal} term of {@code CERequirements}, so a
 * term in the request file is not a requirement: only the terms the CE module writes for an
 * admitted job are read ({@link ReservedTerms#ceRequirements}): one {@code VM-IMAGE-<uuid>} element
 * of {@link ReservedTerms#TAG_ATTRIBUTE}, and {@code VmgridMemory}, {@code VmgridCPUs},
 * {@code VmgridNetwork} once each (absent ones take the site's defaults). Any other {@code Vmgrid*}
 * variable, a bound ({@code _Min}, {@code _Max}), a repeated or unreadable value is refused as
 * {@code bad-request}. The submitter is BLAH's {@code VirtualOrganisation} and
 * {@code x509UserProxyFQAN}. Thread-safe when its collaborators are.
 */
public final class HookAdmission {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[1-9][0-9]{0,6}");

    private final SiteDecision decision;
    private final DirectiveRenderer renderer;

    public HookAdmission(SiteDecision decision, DirectiveRenderer renderer) {
        this.decision = Objects.requireNonNull(decision, "decision");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
    }

    /** The hook door of a site: its decision from {@code config} and {@code catalog}, directives from the encoder. */
    public static HookAdmission forSite(SiteConfig config, ImageCatalog catalog, Clock clock) {
        return new HookAdmission(SiteDecision.of(config, catalog, clock), DirectiveRenderer.creamJobWrapper());
    }

    /**
     * Answers one request: nothing for a job that asks for no VM, the directives for an allowed
     * request, a refusing directive otherwise.
     *
     * @throws HookServiceException when the request names no batch system vmgrid knows (the hook always
     *     sends its own, so only a broken hook does this)
     */
    public HookAnswer answer(HookRequest r) {
        Lrms lrms = Lrms.fromKeyword(r.lrms()).filter(l -> l.keyword().equals(r.lrms()))
                .orElseThrow(() -> new HookServiceException("hook request names no known batch system; the hook "
                        + "must send slurm, pbs, sge, lsf or condor"));
        BlahRequestFile file = BlahRequestFile.parse(r.script());
        if (!file.asksForVm()) {
            return HookAnswer.none();
        }
        var notReady = decision.batchSystem(lrms);
        if (notReady.isPresent()) {
            return HookAnswer.refused(lrms, Refusal.of(notReady.get().why()), notReady.get().reason());
        }
        try {
            return decide(lrms, file);
        } catch (BadRequest e) {
            return HookAnswer.refused(lrms, Refusal.BAD_REQUEST, e.getMessage());
        }
    }

    private HookAnswer decide(Lrms lrms, BlahRequestFile file) {
        if (!file.unreadable().isEmpty()) {
            throw new BadRequest("the request file has a line that is no assignment BLAH writes: "
                    + printable(file.unreadable().get(0)));
        }
        List<String> images = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        Optional<String> vo = Optional.empty();
        Optional<String> fqans = Optional.empty();
        for (BlahRequestFile.Assignment a : file.assignments()) {
            String name = a.name();
            if (name.equalsIgnoreCase(ReservedTerms.TAG_ATTRIBUTE)) {
                String tag = text(a);
                if (ImageTag.isTag(tag)) {
                    images.add(ImageTag.imageRef(tag).orElseThrow());
                }
            } else if (name.equals(ReservedTerms.MEMORY) || name.equals(ReservedTerms.CPUS)
                    || name.equals(ReservedTerms.NETWORK)) {
                // numbers as ClassAd prints them, bare; the network a string, its quotes dropped
                String v = name.equals(ReservedTerms.NETWORK) ? text(a) : a.value();
                if (a.index().isPresent() || values.put(name, v) != null) {
                    throw new BadRequest(name + " is set more than once; only the CE writes it, once");
                }
            } else if (ReservedTerms.isSiteOnly(name) && name.regionMatches(true, 0, "vmgrid", 0, 6)) {
                throw new BadRequest("the request file sets " + name + ", which vmgrid does not write (bounds such as "
                        + "_Min/_Max, other Vmgrid attributes or spellings); ask for a VM through the CE");
            } else if (name.equals(ReservedTerms.VO)) {
                vo = once(name, vo, text(a));
            } else if (name.equals(ReservedTerms.FQANS)) {
                fqans = once(name, fqans, a.value());
            }
        }
        if (images.size() != 1) {
            throw new BadRequest("the job names " + images.size() + " " + ImageTag.PREFIX + " tags; a VM job has exactly one "
                    + "image");
        }
        String uuid = images.get(0);
        if (!ImageDescriptor.isUuid(uuid)) {
            throw new BadRequest("the " + ImageTag.PREFIX + " tag does not end in a lower-case image UUID; submit through "
                    + "the CE, which names the image by UUID");
        }
        Asker asker;
        try {
            asker = Asker.grid(vo, fqans.map(ClassAdValues::fqans).orElse(List.of()));
        } catch (IdentityException | HookServiceException e) {
            throw new BadRequest("the submitter's identity BLAH passed cannot be read: " + e.getMessage());
        }
        VmAsk ask = new VmAsk(uuid, number(values, ReservedTerms.MEMORY), number(values, ReservedTerms.CPUS),
                network(values), Optional.empty(), VmAsk.Names.BLAH);
        Decision d = decision.decide(ask, asker);
        if (d instanceof Decision.Refused refused) {
            return HookAnswer.refused(lrms, Refusal.of(refused.why()), refused.reason());
        }
        VmRequest vm = ((Decision.Allowed) d).vm();
        try {
            return HookAnswer.directives(renderer.render(lrms, vm, decision.limits().overheadMiB()));
        } catch (VmgridException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private static String text(BlahRequestFile.Assignment a) {
        return ClassAdValues.text(a.value()).orElseThrow(() -> new BadRequest(a.name() + " holds a string with a quote "
                + "or backslash, which vmgrid never writes"));
    }

    private static Optional<String> once(String name, Optional<String> previous, String value) {
        if (previous.isPresent()) {
            throw new BadRequest(name + " is set more than once in the request file");
        }
        return Optional.of(value);
    }

    private static OptionalLong number(Map<String, String> values, String name) {
        String v = values.get(name);
        if (v == null) {
            return OptionalLong.empty();
        }
        if (!WHOLE_NUMBER.matcher(v).matches()) {
            throw new BadRequest(name + " is not a whole number as the CE writes it (bare, no quotes)");
        }
        return OptionalLong.of(Long.parseLong(v));
    }

    private static Optional<NetworkMode> network(Map<String, String> values) {
        String v = values.get(ReservedTerms.NETWORK);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(NetworkMode.fromKeyword(v).filter(m -> m.keyword().equals(v)).orElseThrow(
                () -> new BadRequest(ReservedTerms.NETWORK + " is neither \"none\" nor \"outbound\"")));
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 80 ? p.substring(0, 80) + "..." : p;
    }

    /** A request vmgrid cannot read as one the CE wrote. */
    private static final class BadRequest extends VmgridException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
