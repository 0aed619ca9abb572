package org.vmgrid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code vmgrid} command: lists its subcommands. */
@Command(name = "vmgrid", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Run each grid job in the virtual machine it asks for.",
        subcommands = {VersionCommand.class, ConfigCommand.class, JdlCommand.class, PilotCommand.class,
                ApplianceCommand.class, InfoCommand.class, FindCommand.class, ImageCommand.class, ServeCommand.class,
                BlahCommand.class, CreamCommand.class, ArcCommand.class, XrslCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success (jdl/xrsl check: accepted)", "1:jdl/xrsl check: refused by site policy",
                "2:jdl check: malformed JDL; xrsl check: unreadable VM request", "64:bad command line",
                "70:internal error", "74:info/find: a system they read (batch system, BDII) failed; try again",
                "75:pilot run: the image cannot be used", "76:pilot run: the VM did not start the payload",
                "77:pilot run: the payload ran past --timeout", "78:unusable site configuration",
                "79:pilot run: the host could not run the VM", "143:pilot run: cancelled by SIGTERM/SIGINT"})
public final class VmgridCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
