package org.vmgrid.pilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vmgrid.config.AccountsSection;
import org.vmgrid.config.ConfigException;
import org.vmgrid.decision.Asker;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.CommandRunner;

/** A job's VO on the node: from its user's groups in the node's user database, against accounts.properties. */
class PoolAccountsTest {

    private static final AccountsSection SITE = new AccountsSection(Map.of("dteam", "dteam", "atlasprd", "atlas",
            "atlassgm", "atlas"));
    private static final JobUser DTEAM001 = new JobUser("dteam001", 20001, 20000);

    /** A node whose user database answers getent and id -Gn as given (user name to its groups). */
    private static CommandRunner node(Map<String, String> groupsOfUser) {
        CommandRunner r = mock(CommandRunner.class);
        when(r.run(any())).thenAnswer(inv -> {
            Command c = inv.getArgument(0);
            List<String> a = c.argv();
            if (a.subList(0, 3).equals(List.of("getent", "group", "--"))) {
                boolean known = List.of("dteam", "atlasprd", "atlassgm", "users").contains(a.get(3));
                return result(c, known ? 0 : 2, known ? a.get(3) + ":x:1:\n" : "", "");
            }
            if (a.subList(0, 3).equals(List.of("id", "-Gn", "--"))) {
                String groups = groupsOfUser.get(a.get(3));
                return groups == null ? result(c, 1, "", "id: '" + a.get(3) + "': no such user\n")
                        : result(c, 0, groups + "\n", "");
            }
            throw new AssertionError("unexpected command " + a);
        });
        return r;
    }

    private static CommandResult result(Command c, int code, String out, String err) {
        return new CommandResult(c, code, out.getBytes(StandardCharsets.UTF_8), err.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPoolAccountAsksAsItsVosGridUser() {
        PoolAccounts a = PoolAccounts.resolve(SITE, node(Map.of("dteam001", "dteam users", "atlas001", "atlasprd atlassgm")));
        assertEquals(new Asker(Optional.of("dteam"), List.of(), Optional.empty()), a.asker(DTEAM001));
        assertEquals(Optional.of("atlas"), a.asker(new JobUser("atlas001", 20101, 20100)).vo(),
                "two groups of the same VO");
    }

    @Test
    void aUserInNoPoolGroupIsALocalAccount() {
        PoolAccounts a = PoolAccounts.resolve(SITE, node(Map.of("alice", "users")));
        assertEquals(Asker.localAccount("alice"), a.asker(new JobUser("alice", 1000, 1000)));
    }

    @Test
    void aUserInTheGroupsOfTwoVosOrWhoseGroupsCannotBeReadIsRefused() {
        PoolAccounts a = PoolAccounts.resolve(SITE, node(Map.of("dteam001", "dteam atlasprd")));
        PilotException two = assertThrows(PilotException.class, () -> a.asker(DTEAM001));
        assertEquals(FailureKind.REFUSED, two.kind());
        assertTrue(two.getMessage().contains("it is in the pool groups of 2 VOs {atlas=[atlasprd], dteam=[dteam]}"),
                two.getMessage());
        PilotException unknown = assertThrows(PilotException.class, () -> a.asker(new JobUser("4711", 4711, 4711)));
        assertTrue(unknown.getMessage().contains("its groups cannot be read (id -Gn: id: '4711': no such user)"),
                unknown.getMessage());
    }

    @Test
    void aGroupTheNodeDoesNotKnowFailsTheStart() {
        ConfigException e = assertThrows(ConfigException.class, () -> PoolAccounts.resolve(new AccountsSection(
                Map.of("dteam", "dteam", "cmsprd", "cms")), node(Map.of())));
        assertTrue(e.getMessage().contains("group.cmsprd names the unix group cmsprd, which this node does not know"),
                e.getMessage());
    }

    @Test
    void withoutPoolAccountsNothingIsLookedUp() {
        CommandRunner r = node(Map.of());
        assertEquals(Asker.localAccount("dteam001"), PoolAccounts.resolve(AccountsSection.none(), r).asker(DTEAM001));
        assertEquals(Asker.localAccount("dteam001"), PoolAccounts.none().asker(DTEAM001));
        verify(r, never()).run(any());
    }
}
