package org.vmgrid.appliance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmgrid.appliance.ApplianceBuildException;

class KernelModulesTest {

    // Lines as depmod wrote them for Debian's 6.1 amd64 kernel (trimmed).
    private static final String DEP = """
            kernel/drivers/virtio/virtio_ring.ko:
            kernel/drivers/virtio/virtio.ko:
            kernel/drivers/virtio/virtio_pci_modern_dev.ko:
            kernel/drivers/virtio/virtio_pci_legacy_dev.ko:
            kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_legacy_dev.ko kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
            kernel/fs/netfs/netfs.ko:
            kernel/fs/fscache/fscache.ko: kernel/fs/netfs/netfs.ko
            kernel/net/9p/9pnet.ko:
            kernel/fs/9p/9p.ko: kernel/net/9p/9pnet.ko kernel/fs/fscache/fscache.ko kernel/fs/netfs/netfs.ko
            kernel/net/9p/9pnet_virtio.ko: kernel/net/9p/9pnet.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
            """;
    private static final String BUILTIN = "kernel/net/packet/af_packet.ko\n";

    private final KernelModules modules = new KernelModules(DEP, BUILTIN);

    @Test
    void loadsEveryModuleAfterItsDependenciesAndEachOnce() {
        List<String> order = modules.loadOrder(List.of("virtio_pci", "9pnet_virtio", "9p"));
        assertEquals(10, order.size());
        assertEquals(order.size(), order.stream().distinct().count());
        assertBefore(order, "kernel/drivers/virtio/virtio.ko", "kernel/drivers/virtio/virtio_pci.ko");
        assertBefore(order, "kernel/net/9p/9pnet.ko", "kernel/net/9p/9pnet_virtio.ko");
        assertBefore(order, "kernel/fs/netfs/netfs.ko", "kernel/fs/fscache/fscache.ko");
        assertBefore(order, "kernel/fs/fscache/fscache.ko", "kernel/fs/9p/9p.ko");
        assertEquals("kernel/fs/9p/9p.ko", order.get(order.size() - 1));
    }

    @Test
    void leavesOutBuiltInModulesAndTreatsDashAsUnderscore() {
        assertEquals(List.of(), modules.loadOrder(List.of("af-packet")));
        assertEquals(List.of("kernel/drivers/virtio/virtio_ring.ko"), modules.loadOrder(List.of("virtio-ring")));
    }

    @Test
    void refusesAModuleTheKernelDoesNotHave() {
        ApplianceBuildException e = assertThrows(ApplianceBuildException.class,
                () -> modules.loadOrder(List.of("virtiofs")));
        assertTrue(e.getMessage().contains("virtiofs"), e.getMessage());
    }

    @Test
    void refusesADependencyCycleAndADanglingDependency() {
        KernelModules cyclic = new KernelModules("a.ko: b.ko\nb.ko: a.ko\n", "");
        assertThrows(ApplianceBuildException.class, () -> cyclic.loadOrder(List.of("a")));
        KernelModules dangling = new KernelModules("a.ko: gone.ko\n", "");
        assertThrows(ApplianceBuildException.class, () -> dangling.loadOrder(List.of("a")));
    }

    private static void assertBefore(List<String> order, String first, String then) {
        assertTrue(order.indexOf(first) >= 0 && order.indexOf(first) < order.indexOf(then),
                first + " should load before " + then + " in " + order);
    }
}
