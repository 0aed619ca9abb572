package org.vmgrid.blahservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubmitterIdentityTest {

    private static SubmitterIdentity read(String vo, String fqans) {
        return SubmitterIdentity.read(Optional.ofNullable(vo), Optional.ofNullable(fqans));
    }

    @Test
    void voAndFqansAsCreamPassesThem() {
        SubmitterIdentity id = read("dteam", "/dteam/Role=NULL/Capability=NULL,/dteam/NGI_IT/Role=pilot");
        assertEquals(Optional.of("dteam"), id.vo());
        assertEquals(List.of("/dteam/Role=NULL/Capability=NULL", "/dteam/NGI_IT/Role=pilot"), id.fqans());
    }

    @Test
    void voFromTheFirstFqanWhenVirtualOrganisationIsNotPassed() {
        assertEquals(Optional.of("vo.example.org"), read(null, "/vo.example.org/Role=NULL").vo());
        assertEquals(Optional.of("cms"), read("", "/cms").vo());
    }

    @Test
    void nothingPassedIsNoVo() {
        SubmitterIdentity id = read(null, null);
        assertEquals(Optional.empty(), id.vo());
        assertEquals(List.of(), id.fqans());
        assertEquals(Optional.empty(), read("", "").vo());
    }

    @Test
    void everythingOddIsRefusedWithAReason() {
        List<String[]> bad = List.of(
                new String[] {"dteam cms", null}, new String[] {"dteam\n", null}, new String[] {"-dteam", null},
                new String[] {"$(id)", null}, new String[] {"dteam;x", null}, new String[] {"x".repeat(101), null},
                new String[] {"d\u00e9team", null}, new String[] {null, "dteam"}, new String[] {null, "/dteam,"},
                new String[] {null, "/dteam/Role=NULL/Capability=NULL\n"}, new String[] {null, "/dteam//x"},
                new String[] {null, "/dteam/Role=$(id)"}, new String[] {null, "/dteam/Role=a/Role=b"},
                new String[] {null, "/DC=org/CN=someone"}, new String[] {null, "/dteam,/cms, /atlas"},
                new String[] {null, "/dteam,".repeat(40) + "/dteam"}, new String[] {"cms", "/dteam/Role=NULL"});
        for (String[] b : bad) {
            HookServiceException e = assertThrows(HookServiceException.class, () -> read(b[0], b[1]), b[0] + " " + b[1]);
            assertTrue(e.getMessage().contains("VirtualOrganisation") || e.getMessage().contains("x509UserProxyFQAN"),
                    e.getMessage());
        }
    }
}
