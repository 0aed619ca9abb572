package org.vmgrid.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.pilot.OutboundFirewall;
import org.vmgrid.pilot.PilotException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmgrid pilot firewall}: the worker node's firewall rules for guests with outbound network. */
@Command(name = "firewall", description = {"The worker node's firewall rules that keep guests with outbound network"
        + " off the node itself (its addresses, loopback included, and link-local ones) but for outbound.allow:"
        + " print them for the site's firewall configuration, or apply or remove them now (as root)."})
public final class PilotFirewallCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigDirOption dir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--print", description = "Print the rules (iptables-restore and ip6tables-restore input).")
        boolean print;

        @Option(names = "--apply", description = "Install the rules, replacing earlier ones of the outbound group.")
        boolean apply;

        @Option(names = "--remove", description = "Remove the outbound group's rules.")
        boolean remove;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            Path d = dir.directory();
            SiteConfig config = dir.isExplicit() || Files.isDirectory(d) ? SiteConfig.load(d) : SiteConfig.builtIn();
            OutboundFirewall f = new OutboundFirewall(config.pilot().outbound());
            if (what.print) {
                PrintWriter out = spec.commandLine().getOut();
                out.print(f.restoreText(false));
                out.print(f.restoreText(true));
                out.flush();
            } else if (what.apply) {
                f.apply(new ProcessCommandRunner());
            } else {
                f.remove(new ProcessCommandRunner());
            }
            return ExitCodes.OK;
        } catch (ConfigException e) {
            err.println("vmgrid pilot firewall: " + e.getMessage());
            return ExitCodes.CONFIG;
        } catch (PilotException e) {
            err.println("vmgrid pilot firewall: " + e.getMessage());
            return e.kind() == org.vmgrid.pilot.FailureKind.REFUSED ? ExitCodes.CONFIG : ExitCodes.TEMPFAIL;
        }
    }
}
