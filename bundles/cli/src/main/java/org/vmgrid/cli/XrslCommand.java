package org.vmgrid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vmgrid xrsl}: commands on ARC job descriptions; {@code check} is the one there is. */
@Command(name = "xrsl", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Check an ARC job description (xRSL or ADL) against the site's images and policy.",
        subcommands = XrslCheckCommand.class)
public final class XrslCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
