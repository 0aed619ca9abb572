package org.vmgrid.arc;

import java.nio.file.Path;
import java.util.List;
import org.vmgrid.arc.internal.ArcctlControl;
import org.vmgrid.exec.CommandRunner;

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

    /** ARC's own {@code arcctl} (the {@code command} given) for the CE of {@code arcConf}. */
    static ArcControl arcctl(CommandRunner runner, String command, Path arcConf) {
        return new ArcctlControl(runner, command, arcConf);
    }
}
