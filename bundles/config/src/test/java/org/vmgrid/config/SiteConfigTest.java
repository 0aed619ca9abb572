package org.vmgrid.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.NetworkMode;

class SiteConfigTest {

    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    @Test
    void emptyDirectoryGivesBuiltInValues() {
        SiteConfig c = SiteConfig.load(dir);
        assertEquals(LimitsSection.builtIn(), c.limits());
        assertEquals(Lrms.SLURM, c.site().lrms());
        assertFalse(c.policy().restricted());
        assertFalse(c.images().trustUnsigned());
    }

    @Test
    void typedValuesAreRead() throws IOException {
        write("limits.properties", "memory.max = 8192\nmemory.default=512\ncpus.max=8\nnetwork.max=outbound\n");
        write("site.properties", "site.name=MY-SITE\nlrms=pbs\nce.host=ce.example.org\n");
        write("images.properties", "catalogs = a.json, lists/b.json\nalias.sl6 = 3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47\n");
        write("policy.properties", "vo.atlas.images = *\nvo.cms.images = sl6, 3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47\n");
        SiteConfig c = SiteConfig.load(dir);
        assertEquals(8192, c.limits().memoryMaxMiB());
        assertEquals(512, c.limits().memoryDefaultMiB());
        assertEquals(NetworkMode.OUTBOUND, c.limits().networkMax());
        assertEquals(Lrms.PBS, c.site().lrms());
        assertEquals("ce.example.org:8443/cream-pbs-grid", c.site().ceId());
        assertEquals(dir.toAbsolutePath().resolve("lists/b.json"), c.images().catalogs().get(1));
        assertEquals(Map.of("sl6", "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47"), c.images().aliases());
        assertTrue(c.policy().restricted());
        assertEquals(2, c.policy().imagesByVo().get("cms").size());
    }

    @Test
    void theBatchSystemsWhoseWorkerNodesRunVmJobsAreSlurmUnlessTheSiteSaysOtherwise() throws IOException {
        assertEquals(java.util.Set.of(Lrms.SLURM), SiteConfig.load(dir).site().vmBatchSystems());
        write("site.properties", "lrms = sge\nvm.batch.systems = sge, condor\n");
        assertEquals(java.util.Set.of(Lrms.SGE, Lrms.CONDOR), SiteConfig.load(dir).site().vmBatchSystems());
        write("site.properties", "vm.batch.systems =\n");
        assertEquals(java.util.Set.of(), SiteConfig.load(dir).site().vmBatchSystems());
        write("site.properties", "vm.batch.systems = slurm, torque\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertEquals(dir.toAbsolutePath().resolve("site.properties") + ":1: vm.batch.systems = 'slurm, torque' is not "
                + "allowed: a comma-separated list of slurm, pbs, sge, lsf, condor (the batch systems whose worker nodes run "
                + "VM jobs), or nothing", e.getMessage());
        write("site.properties", "vm.batch.systems = sge, sge\n");
        e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().endsWith("vm.batch.systems = 'sge, sge' is not allowed: each batch system once"),
                e.getMessage());
        write("site.properties", "vm.batch.systems = SGE\n");
        assertThrows(ConfigException.class, () -> SiteConfig.load(dir), "keywords are lower case, as lrms's are");
    }

    @Test
    void badValueNamesFileLineKeyValueAndWhatIsAllowed() throws IOException {
        write("limits.properties", "# comment\n\nmemory.max = lots\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertEquals(dir.toAbsolutePath().resolve("limits.properties") + ":3: memory.max = 'lots' is not allowed: "
                + "a whole number of MiB from 96 to 4194304", e.getMessage());
    }

    @Test
    void defaultAboveMaximumIsRefused() throws IOException {
        write("limits.properties", "memory.max = 1024\nmemory.default = 2048\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains("limits.properties:2: memory.default = '2048'"), e.getMessage());
        assertTrue(e.getMessage().contains("at most memory.max (1024 MiB)"), e.getMessage());
    }

    @Test
    void unknownKeyIsRefusedWithTheKnownOnes() throws IOException {
        write("limits.properties", "memory.maxx = 1024\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains(":1: memory.maxx = '1024'"), e.getMessage());
        assertTrue(e.getMessage().contains("known keys: memory.max"), e.getMessage());
    }

    @Test
    void pilotServiceSocketIsAnAbsolutePathOrNothing() throws IOException {
        assertEquals(java.util.Optional.empty(), SiteConfig.load(dir).pilot().serviceSocket());
        write("pilot.properties", "service.socket = /run/vmgrid/pilot.sock\n");
        assertEquals(java.util.Optional.of(Path.of("/run/vmgrid/pilot.sock")), SiteConfig.load(dir).pilot().serviceSocket());
        write("pilot.properties", "service.socket =\n");
        assertEquals(java.util.Optional.empty(), SiteConfig.load(dir).pilot().serviceSocket());
        write("pilot.properties", "service.socket = run/pilot.sock\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains("pilot.properties:1: service.socket = 'run/pilot.sock' is not allowed: "
                + "an absolute path"), e.getMessage());
    }

    @Test
    void theBlahHookSocketIsAPlainAbsolutePathOrNothing() throws IOException {
        assertEquals(java.util.Optional.empty(), SiteConfig.load(dir).site().blahHookSocket());
        write("site.properties", "blah.hook.socket = /run/vmgrid/blah-hook.sock\n");
        assertEquals(java.util.Optional.of(Path.of("/run/vmgrid/blah-hook.sock")), SiteConfig.load(dir).site().blahHookSocket());
        write("site.properties", "blah.hook.socket =\n");
        assertEquals(java.util.Optional.empty(), SiteConfig.load(dir).site().blahHookSocket());
        // written into the BLAH hooks, a shell script: no character the shell would read
        for (String bad : java.util.List.of("run/hook.sock", "/run/a b.sock", "/run/$(id).sock", "/run/x;y", "/run/x'y", "/")) {
            write("site.properties", "blah.hook.socket = " + bad + "\n");
            ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir), bad);
            assertTrue(e.getMessage().contains("site.properties:1: blah.hook.socket = "), e.getMessage());
        }
    }

    @Test
    void guestCapsAndServiceLimitsHaveDefaultsAndBounds() throws IOException {
        assertEquals(PilotSection.GuestCaps.builtIn(), SiteConfig.load(dir).pilot().guestCaps());
        write("pilot.properties", "output.max.bytes = 2048\nconsole.max.bytes = 4096\nstatus.max.bytes = 128\n"
                + "service.max.connections = 10\nservice.max.connections.per.user = 2\n");
        PilotSection p = SiteConfig.load(dir).pilot();
        assertEquals(new PilotSection.GuestCaps(2048, 4096, 128), p.guestCaps());
        assertEquals(new PilotSection.ServiceLimits(10, 2), p.serviceLimits());
        write("pilot.properties", "service.max.connections = 4\nservice.max.connections.per.user = 5\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains("service.max.connections.per.user = '5' is not allowed: at most "
                + "service.max.connections (4)"), e.getMessage());
        write("pilot.properties", "status.max.bytes = 10\n");
        assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        write("pilot.properties", "jobdir.max.bytes = 2097152\n");
        assertEquals(2097152, SiteConfig.load(dir).pilot().guestCaps().jobdirMaxBytes());
        write("pilot.properties", "jobdir.max.bytes = 1000\n");
        assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
    }

    @Test
    void outboundGuestsNeedTheGroupTheFirewallKeysOnAndExceptionsAreAddressesWithAnOptionalPort() throws IOException {
        assertEquals(PilotSection.Outbound.none(), SiteConfig.load(dir).pilot().outbound());
        write("pilot.properties", "outbound.group = vmgrid-guests\n"
                + "outbound.allow = 127.0.0.53/32 udp 53, 10.1.0.0/16, ::1 tcp 3128\n");
        PilotSection.Outbound o = SiteConfig.load(dir).pilot().outbound();
        assertEquals(java.util.Optional.of("vmgrid-guests"), o.group());
        assertEquals(java.util.List.of(new PilotSection.Outbound.Allowed("127.0.0.53/32", "udp", 53),
                new PilotSection.Outbound.Allowed("10.1.0.0/16", "", 0),
                new PilotSection.Outbound.Allowed("::1/128", "tcp", 3128)), o.allow());
        for (String bad : new String[] {"localhost", "10.0.0.0/33", "10.0.0.1 tcp", "10.0.0.1 icmp 1", "10.0.0.1 tcp 0",
                "10.0.0.1 tcp 65536", "300.1.1.1", "-j ACCEPT"}) {
            write("pilot.properties", "outbound.allow = " + bad + "\n");
            ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir), bad);
            assertTrue(e.getMessage().contains("outbound.allow"), e.getMessage());
        }
        write("pilot.properties", "outbound.group = Guests; -j ACCEPT\n");
        assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
    }

    @Test
    void theSiteDeclaresStockCloudInitImagesByUuidOrAlias() throws IOException {
        write("images.properties", "alias.deb = 3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47\n"
                + "cloud-init.images = deb, 0c5a44f2-5f7e-4f0e-a2a4-0f3c1d2b9e61\n");
        assertEquals(java.util.Set.of("3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47", "0c5a44f2-5f7e-4f0e-a2a4-0f3c1d2b9e61"),
                SiteConfig.load(dir).images().cloudInitImages());
        write("images.properties", "catalogs = a.json\n");
        assertEquals(java.util.Set.of(), SiteConfig.load(dir).images().cloudInitImages());
        write("images.properties", "cloud-init.images = debian-12\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains("cloud-init.images"), e.getMessage());
    }

    @Test
    void unknownFileIsRefused() throws IOException {
        write("limit.properties", "memory.max = 1024\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains("limit.properties: unknown configuration file"), e.getMessage());
    }

    @Test
    void keySetTwiceIsRefused() throws IOException {
        write("site.properties", "lrms = slurm\nlrms = pbs\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains("lrms is set 2 times"), e.getMessage());
    }

    @Test
    void hostileAliasAndUuidAreRefused() throws IOException {
        write("images.properties", "alias.x = $(reboot)\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains("an image UUID"), e.getMessage());
        write("images.properties", "alias.Bad;Name = 3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47\n");
        e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains("alias.Bad;Name"), e.getMessage());
    }

    @Test
    void controlCharactersInValuesAreShownEscaped() throws IOException {
        write("site.properties", "lrms = slurm\\u0007\n");
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir));
        assertTrue(e.getMessage().contains("'slurm\\u0007'"), e.getMessage());
    }

    @Test
    void missingDirectorySaysWhatToDo() {
        ConfigException e = assertThrows(ConfigException.class, () -> SiteConfig.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("--config-dir"), e.getMessage());
    }

    @Test
    void directoryResolutionPrefersOptionThenEnvironment() {
        assertEquals(Path.of("/a"), SiteConfig.resolveDirectory(Optional.of(Path.of("/a")), Map.of("VMGRID_CONF_DIR", "/b")));
        assertEquals(Path.of("/b"), SiteConfig.resolveDirectory(Optional.empty(), Map.of("VMGRID_CONF_DIR", "/b")));
        assertEquals(Path.of("/etc/vmgrid"), SiteConfig.resolveDirectory(Optional.empty(), Map.of()));
    }
}
