package org.vmgrid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code vmgrid jdl}: not available yet. */
@Command(name = "jdl", description = "Check a job's JDL against the site's images and policy. (not available yet)")
public final class JdlCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Unmatched
    java.util.List<String> ignored;

    @Override
    public Integer call() {
        return NotAvailable.say(spec);
    }
}
