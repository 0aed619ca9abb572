package org.vmgrid.cream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubmitterVoTest {

    @Test
    void theAuthenticatedVoWins() {
        assertEquals(Optional.of("dteam"), SubmitterVo.choose(Optional.of("dteam"), Optional.empty()));
        assertEquals(Optional.of("dteam"), SubmitterVo.choose(Optional.of("dteam"), Optional.of("dteam")));
    }

    @Test
    void theJdlsVoIsUsedWhenCreamGivesNone() {
        assertEquals(Optional.of("vo.example.org"), SubmitterVo.choose(Optional.empty(), Optional.of("vo.example.org")));
        assertEquals(Optional.empty(), SubmitterVo.choose(Optional.empty(), Optional.empty()));
    }

    @Test
    void aJdlVoOtherThanTheProxysIsRefused() {
        CreamModuleException e = assertThrows(CreamModuleException.class,
                () -> SubmitterVo.choose(Optional.of("dteam"), Optional.of("cms")));
        assertTrue(e.getMessage().contains("set VirtualOrganisation = \"dteam\""), e.getMessage());
    }

    @Test
    void anythingThatIsNoVoNameIsRefused() {
        for (String bad : List.of("", "dteam cms", "dteam\n", "-x", "$(id)", "`id`", "a;b", "d\u00e9team", "x".repeat(101),
                "dteam\"", "/dteam/Role=NULL")) {
            CreamModuleException e = assertThrows(CreamModuleException.class,
                    () -> SubmitterVo.choose(Optional.empty(), Optional.of(bad)), bad);
            assertTrue(e.getMessage().contains("is not a VO name"), e.getMessage());
            assertThrows(CreamModuleException.class, () -> SubmitterVo.choose(Optional.of(bad), Optional.empty()), bad);
        }
    }
}
