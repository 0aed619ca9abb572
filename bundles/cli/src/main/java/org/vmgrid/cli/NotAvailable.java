package org.vmgrid.cli;

import picocli.CommandLine.Model.CommandSpec;

/** What a command that this version does not offer yet says. */
final class NotAvailable {

    private NotAvailable() {
    }

    static int say(CommandSpec spec) {
        spec.commandLine().getErr().println("vmgrid " + spec.qualifiedName(" ").replaceFirst("^vmgrid ", "")
                + ": not available yet in vmgrid " + VersionCommand.version() + "; nothing was done");
        return ExitCodes.UNAVAILABLE;
    }
}
