package org.vmgrid.pilot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vmgrid.config.AccountsSection;
import org.vmgrid.config.ConfigException;
import org.vmgrid.decision.Asker;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.CommandRunner;

/**
 * Whose grid account a local user is on this worker node: the site's pool accounts
 * ({@code accounts.properties}, one unix group per VO's pool accounts) against the groups the
 * node's user database gives the user ({@code id -Gn}, so through NSS: files, LDAP, ...). The user
 * is the one the kernel says a job runs as; nothing the job wrote (its comment, its environment, a
 * VO in its request) counts. So the site decision is asked as that VO's grid user, and the VO
 * policy holds on the node as on the CE.
 */
public final class PoolAccounts {

    private static final Duration LOOKUP = Duration.ofSeconds(10);

    private final Map<String, String> voByGroup;
    private final CommandRunner commands;

    private PoolAccounts(Map<String, String> voByGroup, CommandRunner commands) {
        this.voByGroup = voByGroup;
        this.commands = commands;
    }

    /** No pool accounts: every user is a local account. */
    public static PoolAccounts none() {
        return new PoolAccounts(Map.of(), null);
    }

    /**
     * The site's pool accounts on this node, every group checked to exist here (a group that does
     * not would leave its accounts' jobs without their VO's policy).
     *
     * @throws ConfigException naming the group this node does not know
     */
    public static PoolAccounts resolve(AccountsSection accounts, CommandRunner commands) {
        for (String group : accounts.voByGroup().keySet()) {
            CommandResult r = commands.run(Command.of(LOOKUP, "getent", "group", "--", group));
            if (r.exitCode() != 0) {
                throw new ConfigException("accounts.properties: group." + group + " names the unix group " + group
                        + ", which this node does not know (getent group " + group + ": exit " + r.exitCode()
                        + "); create it, or correct or remove the line");
            }
        }
        return new PoolAccounts(new TreeMap<>(accounts.voByGroup()), commands);
    }

    /**
     * Who asks, for the site decision: the grid user of the VO whose pool group {@code user} is in, or
     * a local account when it is in none.
     *
     * @throws PilotException kind REFUSED when the user is in the pool groups of two VOs, or its
     *     groups cannot be read: the job's VO cannot be told
     */
    public Asker asker(JobUser user) {
        if (voByGroup.isEmpty()) {
            return Asker.localAccount(user.name());
        }
        CommandResult r = commands.run(Command.of(LOOKUP, "id", "-Gn", "--", user.name()));
        if (r.exitCode() != 0) {
            throw new PilotException(FailureKind.REFUSED, "cannot tell the VO of " + user + ": its groups cannot be read ("
                    + "id -Gn: " + r.stderrText().strip() + "); the node's user database must know the job's user");
        }
        TreeMap<String, List<String>> groupsByVo = new TreeMap<>();
        for (String group : new TreeSet<>(List.of(r.stdoutText().strip().split("\\s+")))) {
            Optional.ofNullable(voByGroup.get(group)).ifPresent(vo -> groupsByVo.computeIfAbsent(vo,
                    v -> new ArrayList<>()).add(group));
        }
        if (groupsByVo.size() > 1) {
            throw new PilotException(FailureKind.REFUSED, "cannot tell the VO of " + user + ": it is in the pool groups "
                    + "of " + groupsByVo.size() + " VOs " + groupsByVo + " (accounts.properties); a pool account belongs "
                    + "to one VO's group");
        }
        return groupsByVo.isEmpty() ? Asker.localAccount(user.name())
                : Asker.grid(Optional.of(groupsByVo.firstKey()), List.of());
    }
}
