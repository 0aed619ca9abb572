package org.vmgrid.arc;

import java.util.List;

/** What vmgrid asks of an ARC CE's own control tool ({@code arcctl}): its configuration and its runtime environments. */
public interface ArcControl {

    /**
     * The values of one option of arc.conf (with ARC's defaults), in order; none when it is not set.
     *
     * @throws ArcControlException when the tool fails
     */
    List<String> option(String block, String option);

    /** The names of the enabled runtime environments. */
    List<String> enabledRuntimeEnvironments();

    /** Enables runtime environments found in the runtime directory. */
    void enable(List<String> names);

    /** Disables runtime environments. */
    void disable(List<String> names);
}
