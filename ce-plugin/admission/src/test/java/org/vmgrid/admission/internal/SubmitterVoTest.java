package org.vmgrid.admission.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.Verdict;
import org.vmgrid.jdl.ClassAd;
import org.vmgrid.jdl.Jdl;

class SubmitterVoTest {

    static ClassAd jdl(String vo) {
        return Jdl.parse(vo == null ? "[ Executable = \"x\"; ]" : "[ Executable = \"x\"; VirtualOrganisation = " + Jdl.quote(vo) + "; ]");
    }

    @Test
    void theAuthenticatedVoWins() {
        assertEquals(Optional.of("dteam"), SubmitterVo.choose(Optional.of("dteam"), jdl(null)));
        assertEquals(Optional.of("dteam"), SubmitterVo.choose(Optional.of("dteam"), jdl("dteam")));
    }

    @Test
    void theJdlsVoIsUsedWhenTheCeGivesNone() {
        assertEquals(Optional.of("vo.example.org"), SubmitterVo.choose(Optional.empty(), jdl("vo.example.org")));
        assertEquals(Optional.empty(), SubmitterVo.choose(Optional.empty(), jdl(null)));
    }

    @Test
    void aJdlVoOtherThanTheProxysIsRefused() {
        Rejection e = assertThrows(Rejection.class, () -> SubmitterVo.choose(Optional.of("dteam"), jdl("cms")));
        assertEquals(Verdict.REFUSED, e.admission().verdict());
        assertTrue(e.getMessage().contains("set VirtualOrganisation = \"dteam\""), e.getMessage());
        assertTrue(assertThrows(Rejection.class, () -> SubmitterVo.choose(Optional.empty(),
                Jdl.parse("[ VirtualOrganisation = 42; ]"))).getMessage().contains("must be a string"));
    }

    @Test
    void anythingThatIsNoVoNameIsRefused() {
        for (String bad : List.of("", "dteam cms", "dteam\n", "-x", "$(id)", "`id`", "a;b", "d\u00e9team", "x".repeat(101),
                "dteam\"", "/dteam/Role=NULL")) {
            Rejection e = assertThrows(Rejection.class, () -> SubmitterVo.choose(Optional.empty(), jdl(bad)), bad);
            assertTrue(e.getMessage().contains("is not a VO name"), e.getMessage());
            assertThrows(Rejection.class, () -> SubmitterVo.choose(Optional.of(bad), jdl(null)), bad);
        }
    }
}
