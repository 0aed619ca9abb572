package org.vmgrid.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.ImageDescriptor;

class RteSyncTest {

    static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");
    static final String OTHER = "7d0c1e2f-3a4b-4c5d-8e6f-a0b1c2d3e4f5";
    static final String CALLOUT = "PREPARING timeout=60,onsuccess=pass,onfailure=fail,ontimeout=fail "
            + "/bin/sh /opt/vmgrid/arc/vmgrid-arc-statecallout %C %I --vmgrid /opt/vmgrid/vmgrid";

    @TempDir
    Path runtime;
    private final FakeArc arc = new FakeArc();
    private final RteSync sync = new RteSync(arc, new RteScripts());

    /** arcctl as far as the sync uses it: options, and enabling files of the runtime directory. */
    final class FakeArc implements ArcControl {
        final Map<String, List<String>> options = new HashMap<>();
        final TreeSet<String> enabled = new TreeSet<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public List<String> option(String block, String option) {
            return options.getOrDefault(block + "/" + option, List.of());
        }

        @Override
        public List<String> enabledRuntimeEnvironments() {
            return List.copyOf(enabled);
        }

        @Override
        public void enable(List<String> names) {
            calls.add("enable " + names);
            for (String n : names) {
                assertTrue(Files.isRegularFile(runtime.resolve(n)), "arcctl enables only what is in the runtime dir: " + n);
            }
            enabled.addAll(names);
        }

        @Override
        public void disable(List<String> names) {
            calls.add("disable " + names);
            names.forEach(enabled::remove);
        }
    }

    @BeforeEach
    void arcConf() throws IOException {
        arc.options.put("arex/runtimedir", List.of(runtime.toString()));
        arc.options.put("arex/statecallout", List.of("ACCEPTED timeout=10 /usr/local/bin/other %C", CALLOUT));
        arc.options.put("lrms/lrms", List.of("slurm grid"));
        Files.createDirectories(runtime.resolve("ENV"));
        Files.writeString(runtime.resolve("ENV/SITE"), "# the site's own\n");
        arc.enabled.add("ENV/SITE");
    }

    static ImageDescriptor image(String uuid, Instant expires, String... aliases) {
        return new ImageDescriptor(uuid, "appliance " + uuid.substring(0, 4), "1", URI.create("file:///i.qcow2"), 1,
                "ab".repeat(64), URI.create("file:///l.json"), expires, List.of(aliases));
    }

    static RteSite site() {
        return new RteSite(Path.of("/usr/bin/vmgrid"), Path.of("/run/vmgrid/pilot.sock"), 1024, 256,
                RteSite.SLURM_NODE_SELECTION);
    }

    @Test
    void writesAndEnablesOnePerUuidAndAliasThenNothingUntilTheListsChange() throws IOException {
        Instant later = Instant.parse("2036-01-01T00:00:00Z");
        RteSync.Report r = sync.sync(List.of(image(ArcTestSite.UUID, later, "debian-test"), image(OTHER, later)),
                Map.of("debian-12", ArcTestSite.UUID, "elsewhere", "99999999-2222-4333-8444-555555555555"), site(), NOW);
        List<String> all = List.of("ENV/VMGRID", "VMGRID/IMAGE/" + ArcTestSite.UUID, "VMGRID/IMAGE/" + OTHER,
                "VMGRID/IMAGE/debian-12", "VMGRID/IMAGE/debian-test");
        assertEquals(all, r.written());
        assertEquals(all, r.enabled());
        assertEquals(new TreeSet<>(List.of("ENV/SITE", "ENV/VMGRID", "VMGRID/IMAGE/" + ArcTestSite.UUID,
                "VMGRID/IMAGE/" + OTHER, "VMGRID/IMAGE/debian-12", "VMGRID/IMAGE/debian-test")), arc.enabled);
        assertEquals(Files.readString(runtime.resolve("VMGRID/IMAGE/debian-12")),
                Files.readString(runtime.resolve("VMGRID/IMAGE/" + ArcTestSite.UUID)), "an alias runs the same image");
        assertEquals("-rw-r--r--", "-" + java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(runtime.resolve("ENV/VMGRID"))));

        RteSync.Report again = sync.sync(List.of(image(ArcTestSite.UUID, later, "debian-test"), image(OTHER, later)),
                Map.of("debian-12", ArcTestSite.UUID), site(), NOW);
        assertEquals(new RteSync.Report(List.of(), List.of(), List.of()), again);

        // the second image leaves the lists, the first one's list has expired by the next sync
        RteSync.Report gone = sync.sync(List.of(image(ArcTestSite.UUID, NOW, "debian-test")), Map.of(), site(), NOW);
        assertEquals(List.of("VMGRID/IMAGE/" + ArcTestSite.UUID, "VMGRID/IMAGE/" + OTHER, "VMGRID/IMAGE/debian-12",
                "VMGRID/IMAGE/debian-test"), gone.removed());
        assertEquals(new TreeSet<>(List.of("ENV/SITE", "ENV/VMGRID")), arc.enabled);
        assertFalse(Files.exists(runtime.resolve("VMGRID/IMAGE/" + OTHER)));
        assertTrue(Files.exists(runtime.resolve("ENV/SITE")), "the site's own runtime environments are not vmgrid's");
    }

    @Test
    void withoutVmgridsStateCalloutEveryVmgridRuntimeEnvironmentIsWithdrawn() {
        sync.sync(List.of(image(ArcTestSite.UUID, Instant.parse("2036-01-01T00:00:00Z"))), Map.of(), site(), NOW);
        arc.options.put("arex/statecallout", List.of());
        ArcControlException e = assertThrows(ArcControlException.class, () -> sync.sync(List.of(image(ArcTestSite.UUID,
                Instant.parse("2036-01-01T00:00:00Z"))), Map.of(), site(), NOW));
        assertTrue(e.getMessage().startsWith("arc.conf runs no vmgrid state callout, which checks each VM request; every "
                + "vmgrid runtime environment was withdrawn (2 removed)"), e.getMessage());
        assertEquals(new TreeSet<>(List.of("ENV/SITE")), arc.enabled);
        assertFalse(Files.exists(runtime.resolve("ENV/VMGRID")));
    }

    @Test
    void otherBatchSystemsAndAMissingRuntimeDirAreRefused() {
        arc.options.put("lrms/lrms", List.of("pbs"));
        assertTrue(assertThrows(ArcControlException.class, () -> sync.sync(List.of(), Map.of(), site(), NOW)).getMessage()
                .contains("vmgrid runs ARC's VM jobs on SLURM only"));
        arc.options.remove("arex/runtimedir");
        assertTrue(assertThrows(ArcControlException.class, () -> sync.sync(List.of(), Map.of(), site(), NOW)).getMessage()
                .startsWith("arc.conf sets no [arex] runtimedir"));
    }
}
