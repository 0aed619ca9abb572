package org.vmgrid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code vmgrid image}: not available yet. */
@Command(name = "image", description = "Inspect the site's trusted image lists and the image cache. (not available yet)")
public final class ImageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Unmatched
    java.util.List<String> ignored;

    @Override
    public Integer call() {
        return NotAvailable.say(spec);
    }
}
