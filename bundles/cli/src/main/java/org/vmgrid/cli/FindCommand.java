package org.vmgrid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code vmgrid find}: not available yet. */
@Command(name = "find", description = "Find VM-capable CEs and their images in a BDII. (not available yet)")
public final class FindCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Unmatched
    java.util.List<String> ignored;

    @Override
    public Integer call() {
        return NotAvailable.say(spec);
    }
}
