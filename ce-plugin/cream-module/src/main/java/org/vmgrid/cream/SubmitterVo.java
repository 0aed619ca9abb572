package org.vmgrid.cream;

import java.util.Optional;
import org.vmgrid.config.PolicySection;

/**
 * The submitter's VO for one job description: the VO CREAM's own authorization found in the user's
 * proxy (a MessageContext property, when CREAM sets one), else the JDL's {@code VirtualOrganisation},
 * which CREAM itself checks against the proxy's VO (it refuses a JDL naming another VO) before it
 * registers the job. Both are read strictly.
 */
public final class SubmitterVo {

    private SubmitterVo() {
    }

    /**
     * Chooses the VO.
     *
     * @param authenticated the VO of CREAM's authorization, when it gave one
     * @param fromJdl the JDL's {@code VirtualOrganisation}, when set
     * @return the VO, empty when neither is given
     * @throws CreamModuleException saying what to change, for a VO that is no VO name or a JDL VO that is
     *     not the authenticated one
     */
    public static Optional<String> choose(Optional<String> authenticated, Optional<String> fromJdl) {
        if (authenticated.isPresent()) {
            if (!PolicySection.VO.matcher(authenticated.get()).matches()) {
                throw new CreamModuleException("the CE's authorization gave a VO vmgrid cannot read as a VO name; the "
                        + "site must check the vmgrid.vo.property parameter of axis2.xml");
            }
            if (fromJdl.isPresent() && !fromJdl.get().equals(authenticated.get())) {
                throw new CreamModuleException("VirtualOrganisation " + JobRegisterGate.quote(fromJdl.get())
                        + " is not the VO of your proxy (" + authenticated.get() + "); set VirtualOrganisation = \""
                        + authenticated.get() + "\" or submit with a proxy of that VO");
            }
            return authenticated;
        }
        if (fromJdl.isPresent() && !PolicySection.VO.matcher(fromJdl.get()).matches()) {
            throw new CreamModuleException("VirtualOrganisation " + JobRegisterGate.quote(fromJdl.get()) + " is not a VO "
                    + "name; set it to your VO's name (letters, digits, '.', '_', '-')");
        }
        return fromJdl;
    }
}
