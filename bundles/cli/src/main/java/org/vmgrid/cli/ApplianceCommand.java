package org.vmgrid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code vmgrid appliance}: not available yet. */
@Command(name = "appliance", description = "Build the vmgrid test appliance and its image list. (not available yet)")
public final class ApplianceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Unmatched
    java.util.List<String> ignored;

    @Override
    public Integer call() {
        return NotAvailable.say(spec);
    }
}
