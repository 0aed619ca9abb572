package org.vmgrid.glue;

import org.junit.jupiter.api.Test;
import org.vmgrid.testing.Golden;

class GlueLdifGoldenTest {

    @Test
    void glue13MatchesTheGoldenFile() throws Exception {
        Golden.assertMatches("glue13.ldif",
                new LdifWriter().write(new GlueLdif().glue13(GlueFixtures.glue13Ce(), GlueFixtures.glue13SubCluster())));
    }

    @Test
    void glue2MatchesTheGoldenFile() throws Exception {
        Golden.assertMatches("glue2.ldif", new LdifWriter().write(new GlueLdif().glue2(GlueFixtures.glue2())));
    }
}
