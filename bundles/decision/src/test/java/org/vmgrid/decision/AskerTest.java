package org.vmgrid.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AskerTest {

    @Test
    void theVoIsTheGivenOneElseTheFirstFqans() {
        Asker a = Asker.grid(Optional.empty(), List.of("/dteam/vmgrid/Role=NULL/Capability=NULL", "/dteam/Role=NULL/Capability=NULL"));
        assertEquals(Optional.of("dteam"), a.vo());
        assertEquals("dteam", a.fqans().get(0).vo());
        assertEquals(Optional.of("atlas"), Asker.grid(Optional.of("atlas"), List.of("/atlas/Role=production")).vo());
        assertEquals(Optional.empty(), Asker.grid(Optional.of(""), List.of()).vo());
    }

    @Test
    void anythingElseIsRefusedSayingWhat() {
        assertTrue(assertThrows(IdentityException.class, () -> Asker.grid(Optional.of("cms"), List.of("/dteam")))
                .getMessage().contains("VO cms is not the VO of the proxy's first FQAN (dteam)"));
        assertTrue(assertThrows(IdentityException.class, () -> Asker.grid(Optional.of("d team"), List.of()))
                .getMessage().contains("is not a VO name"));
        for (String bad : List.of("dteam", "/", "/dteam/", "/dteam/Role=", "/dteam;rm", "/dteam/Role=x/Capability=y/z",
                "userFQAN=/dteam", "/dteam\n/cms")) {
            assertThrows(IdentityException.class, () -> Asker.grid(Optional.empty(), List.of(bad)), bad);
        }
        assertThrows(IdentityException.class, () -> Asker.grid(Optional.empty(), Collections.nCopies(33, "/dteam")));
    }

    @Test
    void aLocalAccountCarriesNoGridIdentity() {
        Asker a = Asker.localAccount("alice");
        assertEquals(Optional.empty(), a.vo());
        assertEquals("the local account alice", a.describe());
        assertThrows(IllegalArgumentException.class, () -> new Asker(Optional.of("dteam"), List.of(), Optional.of("alice")));
    }
}
