package org.vmgrid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vmgrid jdl}: commands on job descriptions; {@code check} is the one there is. */
@Command(name = "jdl", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = "Check a job's JDL against the site's images and policy.",
        subcommands = JdlCheckCommand.class)
public final class JdlCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
