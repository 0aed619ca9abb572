package org.vmgrid.info;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.testing.Golden;

/** vmgrid's additions to an ARC CE's infosys, for the example site and its (unsigned) example image list. */
class ArcInformationTest {

    @TempDir
    Path dir;

    private ArcInformation arc(String policy) throws Exception {
        SiteConfig config = SiteConfig.load(InfoFixtures.site(dir, policy));
        return new ArcInformation(config, new CatalogLoader(InfoFixtures.CLOCK).load(CatalogSources.from(config.images())),
                InfoFixtures.CLOCK);
    }

    @Test
    void theProviderAddsTheVmEnvironmentAndEachImageUnderArexsManager() throws Exception {
        String ldif = arc(null).providerLdif();
        Golden.assertMatches("arc-provider.ldif", ldif);
        assertTrue(ldif.contains("GLUE2ManagerID=urn:ogf:ComputingManager:ce01.example.org:slurm,GLUE2ServiceID=urn:ogf:"
                + "ComputingService:ce01.example.org:arex,GLUE2GroupID=services,o=glue"), ldif);
    }

    @Test
    void thePluginAddsTheVmCapabilityToArexsService() throws Exception {
        Golden.assertMatches("arc-plugin.ldif", arc(null).pluginLdif());
    }

    @Test
    void imagesNoVoMayUseAreNotPublished() throws Exception {
        assertFalse(arc("vo.dteam.images = some-other-image\n").providerLdif().contains("GLUE2ApplicationEnvironmentID"));
    }
}
