package org.vmgrid.pilot.internal.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.internal.domain.DomainPlan;
import org.vmgrid.pilot.internal.domain.DomainType;

class GoldenStoreTest {

    @TempDir
    Path tmp;

    static final String SHA = "ab".repeat(64);
    static final String VERSIONS = "qemu 7002022 libvirt 9000000";
    static final GoldenKey KEY = new GoldenKey("11111111-2222-4333-8444-555555555555", SHA, 128, 1, DomainType.QEMU,
            VERSIONS);

    private final int uid = uid();

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A golden as a build leaves it: libvirt's state written, the disk moved in, the record last. */
    static Golden keep(GoldenStore store, GoldenKey key, int slot, Path tmp) throws Exception {
        store.clear(key, slot);
        Files.writeString(store.stateFileFor(key, slot), "saved memory");
        Path disk = Files.writeString(tmp.resolve("disk-" + key.id() + slot), "qcow2 overlay");
        DomainPlan.Restore r = GoldenStore.restoreOf(key, slot, "0a0b0c0d-1111-2222-3333-444455556666", "pc-i440fx-7.2");
        return store.keep(key, slot, disk, r, Instant.parse("2026-01-01T00:00:00Z"), 12.5);
    }

    @Test
    void everyInputMakesAnotherKeyAndTheShapeIsWhatAStaleGoldenShares() {
        List<GoldenKey> others = List.of(
                new GoldenKey(KEY.imageUuid(), "cd".repeat(64), 128, 1, DomainType.QEMU, VERSIONS),
                new GoldenKey(KEY.imageUuid(), SHA, 256, 1, DomainType.QEMU, VERSIONS),
                new GoldenKey(KEY.imageUuid(), SHA, 128, 2, DomainType.QEMU, VERSIONS),
                new GoldenKey(KEY.imageUuid(), SHA, 128, 1, DomainType.KVM, VERSIONS),
                new GoldenKey(KEY.imageUuid(), SHA, 128, 1, DomainType.QEMU, "qemu 8002000 libvirt 9000000"),
                new GoldenKey(KEY.imageUuid(), SHA, 128, 1, DomainType.QEMU, "qemu 7002022 libvirt 9005000"),
                new GoldenKey("21111111-2222-4333-8444-555555555555", SHA, 128, 1, DomainType.QEMU, VERSIONS));
        for (GoldenKey o : others) {
            assertNotEquals(KEY.id(), o.id(), o.text());
        }
        assertEquals(KEY.shape(), others.get(0).shape(), "a new image version has the same shape: it replaces");
        assertEquals(KEY.shape(), others.get(4).shape(), "a new QEMU too");
        assertNotEquals(KEY.shape(), others.get(1).shape(), "another memory size is another golden, kept beside");
        assertEquals(KEY.id(), new GoldenKey(KEY.imageUuid(), SHA, 128, 1, DomainType.QEMU, VERSIONS).id());
        assertTrue(KEY.text().contains("guest contract 2\n") && KEY.text().contains("network none\n"), KEY.text());
    }

    @Test
    void theGoldenDirectoryIsThePilotsAlone() throws Exception {
        GoldenStore store = new GoldenStore(tmp.resolve("golden"), uid);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.root())));
        Golden g = keep(store, KEY, 0, tmp);
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(g.disk())));
        PilotException e = assertThrows(PilotException.class, () -> new GoldenStore(tmp.resolve("golden"), uid + 1));
        assertTrue(e.getMessage().contains("is not the pilot's own"), e.getMessage());
    }

    @Test
    void findsAGoldenByKeyAndSlotWithTheIdentityEveryRestoreKeeps() throws Exception {
        GoldenStore store = new GoldenStore(tmp.resolve("golden"), uid);
        assertTrue(store.find(KEY, 0).golden().isEmpty());
        assertEquals("", store.find(KEY, 0).note(), "none is nothing to say");
        Golden kept = keep(store, KEY, 0, tmp);
        Golden found = store.find(KEY, 0).golden().orElseThrow();
        assertEquals(kept, found);
        assertEquals("0a0b0c0d-1111-2222-3333-444455556666", found.restore().identity().genid());
        assertEquals("pc-i440fx-7.2", found.restore().identity().machine());
        assertTrue(found.restore().name().startsWith("vmgrid-golden-" + KEY.id().substring(0, 16)), found.restore().name());
        assertTrue(store.find(KEY, 1).golden().isEmpty(), "each slot has its own: one restore of a golden at a time");
        assertNotEquals(found.restore().identity().uuid(), GoldenStore.restoreOf(KEY, 1, "", "").identity().uuid());
        assertNotEquals(found.restore().name(), GoldenStore.restoreOf(KEY, 1, "", "").name());
    }

    @Test
    void aGoldenWhoseFilesChangedIsRemovedNotRestored() throws Exception {
        GoldenStore store = new GoldenStore(tmp.resolve("golden"), uid);
        Golden g = keep(store, KEY, 0, tmp);
        Files.writeString(g.state(), "saved memory, then changed");
        GoldenStore.Found f = store.find(KEY, 0);
        assertTrue(f.golden().isEmpty());
        assertTrue(f.note().contains("changed on disk since it was made and was removed"), f.note());
        assertFalse(Files.exists(g.state().getParent()));

        g = keep(store, KEY, 0, tmp);
        Files.setPosixFilePermissions(g.disk(), PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(store.find(KEY, 0).golden().isEmpty(), "a chmod is a change");
        g = keep(store, KEY, 0, tmp);
        Files.delete(g.disk());
        Files.writeString(g.disk(), "qcow2 overlay");
        assertTrue(store.find(KEY, 0).golden().isEmpty(), "a replaced file is a change, even with the same bytes");
    }

    @Test
    void aNewImageVersionOrQemuMakesTheOldGoldensStale() throws Exception {
        GoldenStore store = new GoldenStore(tmp.resolve("golden"), uid);
        keep(store, KEY, 0, tmp);
        keep(store, KEY, 1, tmp);
        GoldenKey otherShape = new GoldenKey(KEY.imageUuid(), SHA, 256, 1, DomainType.QEMU, VERSIONS);
        keep(store, otherShape, 0, tmp);
        GoldenKey newImage = new GoldenKey(KEY.imageUuid(), "cd".repeat(64), 128, 1, DomainType.QEMU, VERSIONS);
        keep(store, newImage, 0, tmp);
        assertEquals(List.of(KEY.id()), store.removeStale(newImage));
        assertTrue(store.find(KEY, 0).golden().isEmpty() && store.find(KEY, 1).golden().isEmpty());
        assertTrue(store.find(otherShape, 0).golden().isPresent(), "another shape stays");
        assertTrue(store.find(newImage, 0).golden().isPresent());
        assertEquals(List.of(), store.removeStale(newImage));

        GoldenKey newQemu = new GoldenKey(KEY.imageUuid(), "cd".repeat(64), 128, 1, DomainType.QEMU, "qemu 8002000 libvirt 9000000");
        keep(store, newQemu, 0, tmp);
        assertEquals(2, store.removeOtherVersions("qemu 8002000 libvirt 9000000").size());
        assertTrue(store.find(newQemu, 0).golden().isPresent());
        assertTrue(store.find(otherShape, 0).golden().isEmpty() && store.find(newImage, 0).golden().isEmpty());
    }

    @Test
    void whatAPilotThatDiedMidBuildLeftIsRemovedAndFinishedGoldensStay() throws Exception {
        GoldenStore store = new GoldenStore(tmp.resolve("golden"), uid);
        Golden kept = keep(store, KEY, 0, tmp);
        // slot 1 of the same key: libvirt had begun to save it when the pilot died
        store.clear(KEY, 1);
        Files.writeString(store.stateFileFor(KEY, 1), "half of the saved memory");
        // another key's first golden: its slot emptied, nothing kept yet (no key text)
        GoldenKey other = new GoldenKey(KEY.imageUuid(), SHA, 256, 1, DomainType.QEMU, VERSIONS);
        store.clear(other, 0);
        Files.writeString(store.stateFileFor(other, 0), "half");

        List<String> removed = store.removeUnfinished();

        assertEquals(List.of(KEY.id() + "/1", other.id() + "/0"), removed.stream().sorted((a, b) ->
                a.startsWith(KEY.id()) ? -1 : b.startsWith(KEY.id()) ? 1 : a.compareTo(b)).toList());
        assertFalse(Files.exists(store.dir(KEY, 1)));
        assertFalse(Files.exists(store.dir(other, 0).getParent()), "a key with no golden goes whole");
        assertEquals(kept, store.find(KEY, 0).golden().orElseThrow());
        assertEquals(List.of(), store.removeUnfinished());
    }
}
