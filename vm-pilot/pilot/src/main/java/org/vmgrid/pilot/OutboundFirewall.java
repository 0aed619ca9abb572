package org.vmgrid.pilot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vmgrid.config.PilotSection;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.CommandRunner;

/**
 * The worker node's firewall for guests with {@code outbound} network. Their QEMU, whose user-mode
 * network makes each connection the guest asks for from the node itself, runs with the site's
 * outbound group ({@code outbound.group}); these rules, in the node's OUTPUT chains, reject every
 * connection of that group to an address of the node (its loopback included, which QEMU's
 * gateway address leads to) and to a link-local address, except the {@code outbound.allow} ones.
 * Nothing else on the node runs with that group, so plain jobs and the node's own services are
 * untouched. IPv4 and IPv6, through {@code iptables} and {@code ip6tables} (as root).
 */
public final class OutboundFirewall {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String group;
    private final List<PilotSection.Outbound.Allowed> allow;

    /** @throws PilotException kind REFUSED when the configuration names no outbound group */
    public OutboundFirewall(PilotSection.Outbound outbound) {
        this.group = outbound.group().orElseThrow(() -> new PilotException(FailureKind.REFUSED,
                "pilot.properties sets no outbound.group: this node runs no guest with outbound network, and needs "
                        + "no firewall for it"));
        this.allow = outbound.allow();
    }

    /** The chain of the group's rules. */
    public String chain() {
        return "VMGRID-" + group;
    }

    /** The rules, as {@code iptables} ({@code v6} false) or {@code ip6tables} arguments, one rule each. */
    public List<List<String>> rules(boolean v6) {
        List<List<String>> r = new ArrayList<>();
        for (PilotSection.Outbound.Allowed a : allow) {
            if (a.ipv6() != v6) {
                continue;
            }
            List<String> rule = new ArrayList<>(List.of("-A", chain(), "-d", a.network()));
            if (!a.protocol().isEmpty()) {
                rule.addAll(List.of("-p", a.protocol(), "--dport", Integer.toString(a.port())));
            }
            rule.addAll(List.of("-j", "RETURN"));
            r.add(rule);
        }
        String linkLocal = v6 ? "fe80::/10" : "169.254.0.0/16";
        for (List<String> where : List.of(List.of("-m", "addrtype", "--dst-type", "LOCAL"), List.of("-d", linkLocal))) {
            List<String> tcp = new ArrayList<>(List.of("-A", chain()));
            tcp.addAll(where);
            tcp.addAll(List.of("-p", "tcp", "-j", "REJECT", "--reject-with", "tcp-reset"));
            r.add(tcp);
            List<String> any = new ArrayList<>(List.of("-A", chain()));
            any.addAll(where);
            any.addAll(List.of("-j", "REJECT"));
            r.add(any);
        }
        return r;
    }

    /** The OUTPUT rule sending the group's connections through its chain. */
    public List<String> jump(String op) {
        return List.of(op, "OUTPUT", "-m", "owner", "--gid-owner", group, "-j", chain());
    }

    /** The rules in {@code iptables-restore --noflush} form, for a site's own firewall configuration. */
    public String restoreText(boolean v6) {
        StringBuilder b = new StringBuilder("# vmgrid: guests with outbound network (group " + group + ") reach no "
                + "address of this node but the allowed ones (" + (v6 ? "ip6tables" : "iptables") + "-restore --noflush)\n");
        b.append("*filter\n:").append(chain()).append(" - [0:0]\n");
        for (List<String> rule : rules(v6)) {
            b.append(String.join(" ", rule)).append('\n');
        }
        b.append(String.join(" ", jump("-I"))).append("\nCOMMIT\n");
        return b.toString();
    }

    /** Installs the rules (replacing this group's earlier ones); throws saying which command failed. */
    public void apply(CommandRunner runner) {
        remove(runner);
        for (String tool : List.of("iptables", "ip6tables")) {
            boolean v6 = tool.equals("ip6tables");
            run(runner, tool, List.of("-N", chain()));
            for (List<String> rule : rules(v6)) {
                run(runner, tool, rule);
            }
            run(runner, tool, jump("-I"));
        }
    }

    /** Removes this group's rules, as far as they are there. */
    public void remove(CommandRunner runner) {
        for (String tool : List.of("iptables", "ip6tables")) {
            for (int i = 0; i < 16 && quiet(runner, tool, jump("-D")).exitCode() == 0; i++) {
                // once per copy of the jump
            }
            quiet(runner, tool, List.of("-F", chain()));
            quiet(runner, tool, List.of("-X", chain()));
        }
    }

    private static void run(CommandRunner runner, String tool, List<String> args) {
        CommandResult r = quiet(runner, tool, args);
        if (r.exitCode() != 0) {
            throw new PilotException(FailureKind.HOST, tool + " " + String.join(" ", args) + " failed: "
                    + r.stderrText().strip() + "; run this as root on a node with " + tool);
        }
    }

    private static CommandResult quiet(CommandRunner runner, String tool, List<String> args) {
        List<String> argv = new ArrayList<>(List.of(tool, "-w"));
        argv.addAll(args);
        return runner.run(Command.of(TIMEOUT, argv.toArray(String[]::new)));
    }
}
