package org.vmgrid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code vmgrid info}: not available yet. */
@Command(name = "info", description = "Print the site's VM capabilities as GLUE LDIF or XML for the BDII. (not available yet)")
public final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Unmatched
    java.util.List<String> ignored;

    @Override
    public Integer call() {
        return NotAvailable.say(spec);
    }
}
