package org.vmgrid.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.testing.Glue2Schema;
import org.vmgrid.testing.Golden;

class InfoProviderTest {

    @TempDir
    Path dir;

    private final ImageCatalog catalog = mock(ImageCatalog.class);
    private final BatchStatus batch = mock(BatchStatus.class);

    private InfoProvider provider(String policy) throws Exception {
        when(catalog.usableImages()).thenReturn(InfoFixtures.images());
        return new InfoProvider(SiteConfig.load(InfoFixtures.site(dir, policy)), catalog, batch, InfoFixtures.CLOCK);
    }

    @Test
    void providerLdifMatchesTheGoldenFileAndNeverAsksTheBatchSystem() throws Exception {
        String out = provider(null).providerLdif();
        Golden.assertMatches("provider.ldif", out);
        verify(batch, never()).read();
    }

    @Test
    void tagsNameTheHypervisorEachUsableImageAndItsAliases() throws Exception {
        SitePublication p = provider(null).publication(false);
        assertEquals(List.of("VM-CAPABLE", "VM-HYPERVISOR-QEMU", "VM-IMAGE-" + InfoFixtures.APPLIANCE, "VM-IMAGE-debian-test",
                "VM-IMAGE-" + InfoFixtures.OTHER), p.subCluster().runTimeEnvironments());
        assertTrue(p.glue2().service().capabilities().contains("executionmanagement.dynamicvmdeploy"));
        assertTrue(p.glue2().environment().virtualMachine());
    }

    @Test
    void aCeWhoseBatchSystemIsNotDeclaredReadyForVmJobsPublishesNoVmCapabilityAndNoImage() throws Exception {
        Path site = InfoFixtures.site(dir, null);
        String props = Files.readString(site.resolve("site.properties"));
        assertTrue(props.contains("\nvm.batch.systems = slurm\n"), props);
        Files.writeString(site.resolve("site.properties"), props.replace("\nvm.batch.systems = slurm\n",
                "\nvm.batch.systems = pbs\n"));
        when(catalog.usableImages()).thenReturn(InfoFixtures.images());
        InfoProvider ip = new InfoProvider(SiteConfig.load(site), catalog, batch, InfoFixtures.CLOCK);
        SitePublication p = ip.publication(false);
        assertEquals(List.of(), p.images());
        assertEquals(List.of(), p.subCluster().runTimeEnvironments());
        assertFalse(p.glue2().service().capabilities().contains("executionmanagement.dynamicvmdeploy"));
        assertTrue(p.glue2().service().capabilities().contains("executionmanagement.jobexecution"));
        String ldif = ip.providerLdif();
        assertFalse(ldif.contains("VM-IMAGE-") || ldif.contains("VM-CAPABLE") || ldif.contains("dynamicvmdeploy"), ldif);
        assertTrue(ldif.contains("GlueCEUniqueID"), "the CE itself is still published");
    }

    @Test
    void expiredImagesAreNotPublished() throws Exception {
        String out = provider(null).providerLdif();
        assertFalse(out.contains(InfoFixtures.EXPIRED));
    }

    @Test
    void imagesAllowedToNoVoAreNotPublishedAndVosAreListedPerImage() throws Exception {
        SitePublication p = provider("vo.dteam.images = debian-test\nvo.ops.images = " + InfoFixtures.APPLIANCE + "\n")
                .publication(false);
        assertEquals(1, p.images().size());
        assertEquals(List.of("dteam", "ops"), p.images().get(0).vos());
        assertEquals(List.of("VO:dteam", "VO:ops"), p.ce().accessControlBaseRules());
        assertFalse(p.subCluster().runTimeEnvironments().contains("VM-IMAGE-" + InfoFixtures.OTHER));
    }

    @Test
    void hostileTitlesAndVersionsAreBase64InLdifAndTextInValidXml() throws Exception {
        InfoProvider ip = provider(null);
        String ldif = ip.providerLdif();
        assertFalse(ldif.contains("Evil"), "hostile title must not appear raw");
        assertEquals(0, ldif.lines().filter(l -> l.startsWith("objectClass: top")).count());
        // bdii-update writes changed values raw into ldapmodify input: no published value may hold a line break
        SitePublication p = ip.publication(false);
        p.glue2().applications().forEach(a -> {
            assertFalse(a.description().matches("(?s).*[\\r\\n\\u0000-\\u001f].*"), a.description());
            assertFalse(a.appVersion().matches("(?s).*[\\r\\n].*"), a.appVersion());
        });
        assertEquals("Evil dn: o=grid objectClass: top <x>]]>& \u00e9", p.glue2().applications().get(1).description());
        String xml = ip.xml(false);
        Glue2Schema.validate(xml);
        assertTrue(xml.contains("&lt;x&gt;]]&gt;&amp;"), xml);
    }

    /**
     * Every value of the hostile corpus as an image's title and version: the LDIF keeps the same
     * entries and no attribute more than with a plain title (a blank title is left out), each line an attribute, a base64 attribute or a
     * continuation; no published value holds a line break; the GLUE 2 XML stays valid.
     */
    @Test
    void theHostileCorpusAsTitleAndVersionAddsNoEntryNoAttributeAndNoLine() throws Exception {
        java.util.function.Function<String, List<String>> shape = ldif -> ldif.lines()
                .filter(l -> !l.startsWith(" ") && !l.isEmpty()).map(l -> l.substring(0, l.indexOf(':'))).toList();
        when(catalog.usableImages()).thenReturn(List.of(InfoFixtures.image(InfoFixtures.OTHER, "plain", "1",
                java.time.Instant.parse("2036-11-01T00:00:00Z"), List.of())));
        SiteConfig config = SiteConfig.load(InfoFixtures.site(dir, null));
        InfoProvider plain = new InfoProvider(config, catalog, batch, InfoFixtures.CLOCK);
        List<String> expected = shape.apply(plain.providerLdif());
        for (String v : org.vmgrid.testing.HostileText.VALUES) {
            String shown = org.vmgrid.testing.Fuzz.show(v);
            org.vmgrid.api.ImageDescriptor image;
            try {
                image = InfoFixtures.image(InfoFixtures.OTHER, v, v, java.time.Instant.parse("2036-11-01T00:00:00Z"), List.of());
            } catch (IllegalArgumentException e) {
                continue; // the image list's reader would refuse it too
            }
            when(catalog.usableImages()).thenReturn(List.of(image));
            InfoProvider ip = new InfoProvider(config, catalog, batch, InfoFixtures.CLOCK);
            String ldif = ip.providerLdif();
            for (String line : ldif.split("\n", -1)) {
                assertTrue(line.isEmpty() || line.matches("[A-Za-z][A-Za-z0-9-]*(:|::) [\\x20-\\x7e\\u00a0-\\uffff]*")
                        || line.matches(" [\\x20-\\x7e\\u00a0-\\uffff]*"), shown + ": line " + org.vmgrid.testing.Fuzz.show(line));
            }
            List<String> got = shape.apply(ldif);
            assertEquals(expected.stream().filter("dn"::equals).count(), got.stream().filter("dn"::equals).count(),
                    "entries: " + shown);
            assertTrue(expected.containsAll(got), "attributes " + got + ": " + shown);
            assertTrue(got.size() <= expected.size() && got.size() >= expected.size() - 2, "lines " + got + ": " + shown);
            ip.publication(false).glue2().applications().forEach(a -> {
                assertFalse(a.description().matches("(?s).*[\\r\\n\\u0000-\\u001f].*"), shown);
                assertFalse(a.appVersion().matches("(?s).*[\\r\\n\\u0000-\\u001f].*"), shown);
            });
            Glue2Schema.validate(ip.xml(false));
        }
    }

    @Test
    void pluginPrintsOnlyCountsFromTheBatchSystem() throws Exception {
        when(batch.read()).thenReturn(new VmJobCounts(12, 5, 7));
        String out = provider(null).pluginLdif();
        Golden.assertMatches("plugin.ldif", out);
    }

    @Test
    void pluginAddsThePilotsAccountingOfTheLastDayWhenItIsOnThisHost() throws Exception {
        when(batch.read()).thenReturn(new VmJobCounts(12, 5, 7));
        InfoProvider ip = provider(null);
        Files.copy(Path.of("src/test/resources/accounting.jsonl"), dir.resolve("accounting.jsonl"));
        String out = ip.pluginLdif();
        assertTrue(out.contains("GLUE2EntityOtherInfo: CEID=ce01.example.org:8443/cream-slurm-grid\nGLUE2EntityOtherInfo: VMJobsFinished24h=3\n"
                + "GLUE2EntityOtherInfo: VMJobsFailed24h=1\nGLUE2EntityOtherInfo: VMWallHours24h=1.50\n"), out);
        assertFalse(ip.providerLdif().contains("VMJobsFinished24h"), "the static provider does not read the accounting");
    }

    @Test
    void aBatchSystemFailureGivesNoOutputAtAll() throws Exception {
        when(batch.read()).thenThrow(new InfoException("cannot read VM slots and jobs from SLURM: squeue failed"));
        InfoProvider ip = provider(null);
        InfoException e = assertThrows(InfoException.class, ip::pluginLdif);
        assertTrue(e.getMessage().contains("squeue"));
    }

    @Test
    void xmlTakesCountsFromTheBatchSystemOnlyWhenAsked() throws Exception {
        when(batch.read()).thenReturn(new VmJobCounts(12, 5, 7));
        InfoProvider ip = provider(null);
        assertTrue(ip.xml(false).contains("<RunningJobs>0</RunningJobs>"));
        verify(batch, never()).read();
        String live = ip.xml(true);
        assertTrue(live.contains("<RunningJobs>5</RunningJobs>") && live.contains("<WaitingJobs>7</WaitingJobs>")
                && live.contains("<TotalInstances>12</TotalInstances>"), live);
    }

    @Test
    void batchSystemsOtherThanSlurmAreRefusedWithAReason() throws Exception {
        Path site = InfoFixtures.site(dir, null);
        Files.writeString(site.resolve("site.properties"), "lrms = pbs\n");
        BatchStatus pbs = InfoProvider.batchStatusFor(SiteConfig.load(site), mock(org.vmgrid.exec.CommandRunner.class));
        InfoException e = assertThrows(InfoException.class, pbs::read);
        assertTrue(e.getMessage().contains("pbs") && e.getMessage().contains("vmgrid info ldif"), e.getMessage());
    }

    @Test
    void filesAreReplacedWhole() throws Exception {
        Path target = dir.resolve("out.ldif");
        Files.writeString(target, "old");
        InfoProvider.writeAtomically(target, "new\n");
        assertEquals("new\n", Files.readString(target));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }
}
