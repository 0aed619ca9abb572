package org.vmgrid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vmgrid arc}: vmgrid at a NorduGrid ARC CE. */
@Command(name = "arc", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "vmgrid at a NorduGrid ARC CE (A-REX): its state callout, runtime environments and information.",
        subcommands = {ArcAdmitCommand.class, ArcRteCommand.class, ArcLdifCommand.class})
public final class ArcCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
