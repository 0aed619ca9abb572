package org.vmgrid.blahservice;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.vmgrid.config.PolicySection;

/**
 * The submitter's VO and VOMS FQANs as BLAH passes them to the hook: {@code VirtualOrganisation} and
 * {@code x509UserProxyFQAN} of BLAH_JOB_SUBMIT's ClassAd, which CREAM fills from the proxy it
 * authenticated (blah.config {@code blah_pass_submit_attributes} puts them into the request file).
 * They are trusted only because the CE's Axis2 module refuses a VM job whose CERequirements names
 * these attributes (BLAH writes the unwound CERequirements last, so it would override them).
 * Read strictly: anything that is not a plain VO name or a list of well-formed FQANs is refused.
 *
 * @param vo the VO: {@code VirtualOrganisation}, else the VO of the first FQAN; empty when neither is set
 * @param fqans the FQANs, in the proxy's order
 */
public record SubmitterIdentity(Optional<String> vo, List<String> fqans) {

    /** Most FQANs read; a VOMS proxy holds a handful. */
    public static final int MAX_FQANS = 32;
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";
    /** {@code /vo[/group...][/Role=role][/Capability=cap]}, names of letters, digits, '.', '_', '-'. */
    public static final Pattern FQAN = Pattern.compile("/" + NAME + "(/" + NAME + ")*(/Role=" + NAME + ")?(/Capability="
            + NAME + ")?");

    public SubmitterIdentity {
        fqans = List.copyOf(fqans);
    }

    /**
     * Reads the values the hook sent; an empty value counts as not set.
     *
     * @throws HookServiceException saying what is wrong, for a VO that is no VO name, a malformed or
     *     overlong FQAN list, or a VO that is not the first FQAN's
     */
    public static SubmitterIdentity read(Optional<String> virtualOrganisation, Optional<String> fqanList) {
        Optional<String> vo = virtualOrganisation.filter(v -> !v.isEmpty());
        if (vo.isPresent() && !PolicySection.VO.matcher(vo.get()).matches()) {
            throw new HookServiceException("VirtualOrganisation is not a VO name (letters, digits, '.', '_', '-', at most "
                    + "100); the CE passed something else: check blah_pass_submit_attributes in blah.config");
        }
        List<String> fqans = new ArrayList<>();
        Optional<String> list = fqanList.filter(f -> !f.isEmpty());
        if (list.isPresent()) {
            String[] parts = list.get().split(",", -1);
            if (parts.length > MAX_FQANS) {
                throw new HookServiceException("x509UserProxyFQAN lists more than " + MAX_FQANS + " FQANs");
            }
            for (String p : parts) {
                if (!FQAN.matcher(p).matches()) {
                    throw new HookServiceException("x509UserProxyFQAN holds something that is not an FQAN "
                            + "(/vo[/group...][/Role=r][/Capability=c], comma-separated)");
                }
                fqans.add(p);
            }
        }
        Optional<String> fqanVo = fqans.stream().findFirst().map(f -> f.substring(1).split("/", 2)[0]);
        if (vo.isPresent() && fqanVo.isPresent() && !vo.get().equals(fqanVo.get())) {
            throw new HookServiceException("VirtualOrganisation " + vo.get() + " is not the VO of the proxy's first FQAN ("
                    + fqanVo.get() + ")");
        }
        return new SubmitterIdentity(vo.or(() -> fqanVo), fqans);
    }
}
