package org.vmgrid.admission.internal;

import java.util.Optional;
import org.vmgrid.config.PolicySection;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Expr;
import org.vmgrid.jdl.Value;

/**
 * The submitter's VO for one job description: the VO the CE's own authorization found in the
 * user's proxy (CREAM: a MessageContext property, when it sets one; {@code vmgrid jdl check}:
 * {@code --vo}), else the JDL's {@code VirtualOrganisation}, which CREAM itself checks against the
 * proxy's VO (it refuses a JDL naming another VO) before it registers the job. Both are read strictly.
 */
public final class SubmitterVo {

    /** The JDL attribute naming the submitter's VO, looked up ignoring case. */
    static final String ATTRIBUTE = "VirtualOrganisation";

    private SubmitterVo() {
    }

    /**
     * Chooses the VO.
     *
     * @param authenticated the VO of the CE's authorization, when it gave one
     * @param jdl the job description
     * @return the VO, empty when neither names one
     * @throws Rejection (refused) saying what to change, for a VO that is no VO name, a JDL VO that is
     *     not a string or not the authenticated one
     */
    public static Optional<String> choose(Optional<String> authenticated, ClassAd jdl) {
        Optional<String> fromJdl = fromJdl(jdl);
        if (authenticated.isPresent()) {
            if (!PolicySection.VO.matcher(authenticated.get()).matches()) {
                throw Rejection.refused("the CE's authorization gave a VO vmgrid cannot read as a VO name; the site must "
                        + "check the vmgrid.vo.property parameter of axis2.xml");
            }
            if (fromJdl.isPresent() && !fromJdl.get().equals(authenticated.get())) {
                throw Rejection.refused("VirtualOrganisation \"" + RequestExtractor.printable(fromJdl.get())
                        + "\" is not the VO of your proxy (" + authenticated.get() + "); set VirtualOrganisation = \""
                        + authenticated.get() + "\" or submit with a proxy of that VO");
            }
            return authenticated;
        }
        if (fromJdl.isPresent() && !PolicySection.VO.matcher(fromJdl.get()).matches()) {
            throw Rejection.refused("VirtualOrganisation \"" + RequestExtractor.printable(fromJdl.get()) + "\" is not a VO "
                    + "name; set it to your VO's name (letters, digits, '.', '_', '-')");
        }
        return fromJdl;
    }

    private static Optional<String> fromJdl(ClassAd jdl) {
        Optional<Expr> e = jdl.get(ATTRIBUTE);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        if (e.get() instanceof Expr.Literal lit && lit.value() instanceof Value.Str s) {
            return Optional.of(s.value());
        }
        throw Rejection.refused("VirtualOrganisation must be a string naming your VO, e.g. VirtualOrganisation = \"dteam\"");
    }
}
