package org.vmgrid.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BdiiFinderTest {

    @Test
    void filtersAreTheDocumentedOnes() {
        assertEquals("(&(objectClass=GLUE2ComputingService)(GLUE2ServiceCapability=executionmanagement.dynamicvmdeploy))",
                BdiiFinder.vmServices().toString());
        assertEquals("(&(objectClass=GLUE2ApplicationEnvironment)(GLUE2ApplicationEnvironmentAppName=VM-IMAGE-*)"
                + "(|(GLUE2EntityOtherInfo=ImageUUID=debian-test)(GLUE2EntityOtherInfo=ImageAlias=debian-test))"
                + "(|(GLUE2EntityOtherInfo=VO=atlas)(!(GLUE2EntityOtherInfo=VO=*))))",
                BdiiFinder.images(Optional.of("debian-test"), Optional.of("atlas")).toString());
    }

    @Test
    void onlyTheManagersOfTheVmServicesAreAskedFor() {
        assertEquals("(&(objectClass=GLUE2ComputingManager)(|(GLUE2ManagerServiceForeignKey=a.example.org_ComputingElement)"
                + "(GLUE2ManagerServiceForeignKey=b.example.org_ComputingElement)))",
                BdiiFinder.managersOf(List.of("b.example.org_ComputingElement", "a.example.org_ComputingElement")).toString());
        String hostile = BdiiFinder.managersOf(List.of("x)(objectClass=*")).toString();
        assertTrue(hostile.contains("=x\\29\\28objectClass=\\2a)"), hostile);
    }

    @Test
    void hostileSearchValuesStayValues() {
        String f = BdiiFinder.images(Optional.of("x)(objectClass=*"), Optional.of("*)(|(a=b")).toString();
        assertTrue(f.contains("ImageUUID=x\\29\\28objectClass=\\2a"), f);
        assertTrue(f.contains("VO=\\2a\\29\\28|\\28a=b"), f);
        assertFalse(f.contains("(objectClass=*"), f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://bdii:2170", "ldap://", "ldap://bdii:2170/o=grid", "bdii:2170", "ldap://u@bdii:2170", "ldap://bdii:2170?x"})
    void badAddressesAreRefusedWithTheExpectedForm(String bad) {
        InfoException e = assertThrows(InfoException.class, () -> BdiiFinder.parse(bad));
        assertTrue(e.getMessage().contains("ldap://HOST:PORT"), e.getMessage());
    }

    @Test
    void anUnreachableBdiiSaysWhatToCheck() {
        InfoException e = assertThrows(InfoException.class,
                () -> new BdiiFinder(2000).find("ldap://127.0.0.1:1", Optional.empty(), Optional.empty()));
        assertTrue(e.getMessage().contains("ldap://127.0.0.1:1") && e.getMessage().contains("BDII is running"), e.getMessage());
    }

    @Test
    void reportsEscapeControlCharactersOfOtherSitesText() {
        List<FoundCe> found = List.of(new FoundCe("ce:8443/cream-slurm-grid", "svc", "SITE",
                List.of(new FoundImage("3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47", List.of("debian-test"), List.of(),
                        "1", "title\u001b[2J\nnext"))));
        String text = FindReport.text(found);
        assertFalse(text.contains("\u001b"));
        assertEquals(2, text.lines().count(), text);
        String json = FindReport.json(found);
        assertTrue(json.contains("\"ce\" : \"ce:8443/cream-slurm-grid\"") && json.contains("\\u001B[2J\\nnext"), json);
    }
}
