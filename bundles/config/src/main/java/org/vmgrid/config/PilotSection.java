package org.vmgrid.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code pilot.properties}: the worker-node pilot.
 *
 * @param hypervisor {@code auto} (KVM where the CPU offers it and a probe boot works), {@code kvm}
 *     or {@code qemu} (software emulation)
 * @param libvirtUri the libvirt connection
 * @param cacheDir where verified base images are kept
 * @param cacheMaxBytes the image cache's size cap; unused images are evicted least recently used first
 * @param slots how many VMs may run on this host at once
 * @param bootTimeoutSeconds how long a guest may take to start its payload
 * @param stateDir per-job overlays, context images and locks
 * @param accountingFile JSON-lines accounting records, one per job
 * @param serviceSocket where the pilot service of {@code vmgrid serve} listens for
 *     {@code vmgrid pilot run --service}; empty: the runtime runs no pilot service
 */
public record PilotSection(String hypervisor, String libvirtUri, Path cacheDir, long cacheMaxBytes, int slots,
        int bootTimeoutSeconds, Path stateDir, Path accountingFile, Optional<Path> serviceSocket) {

    public PilotSection {
        Objects.requireNonNull(serviceSocket, "serviceSocket");
    }

    public static PilotSection builtIn() {
        return new PilotSection("auto", "qemu:///system", Path.of("/var/lib/vmgrid/cache"), 20L << 30, 4, 300,
                Path.of("/var/lib/vmgrid/jobs"), Path.of("/var/log/vmgrid/accounting.jsonl"), Optional.empty());
    }

    /** This section with the pilot service listening on {@code socket}. */
    public PilotSection withServiceSocket(Path socket) {
        return new PilotSection(hypervisor, libvirtUri, cacheDir, cacheMaxBytes, slots, bootTimeoutSeconds, stateDir,
                accountingFile, Optional.of(socket));
    }

    static PilotSection from(ConfigFile f) {
        PilotSection d = builtIn();
        String hv = f.keyword("hypervisor", d.hypervisor(), List.of("auto", "kvm", "qemu"));
        String uri = f.string("libvirt.uri", d.libvirtUri(), java.util.regex.Pattern.compile("[a-z+]+://[^\\s]*"),
                "a libvirt URI such as qemu:///system");
        Path cache = f.path("cache.dir", d.cacheDir());
        long cacheMax = f.longValue("cache.max.bytes", d.cacheMaxBytes(), 1L << 20, Long.MAX_VALUE, "bytes");
        int slots = f.integer("slots", d.slots(), 1, 256, "VMs");
        int boot = f.integer("boot.timeout", d.bootTimeoutSeconds(), 5, 3600, "seconds");
        Path state = f.path("state.dir", d.stateDir());
        Path acct = f.path("accounting.file", d.accountingFile());
        Optional<Path> socket = Optional.empty();
        if (f.has("service.socket")) {
            String raw = f.raw("service.socket");
            if (!raw.isEmpty()) {
                if (!raw.startsWith("/") || raw.indexOf('\0') >= 0) {
                    throw f.bad("service.socket", raw, "an absolute path such as /run/vmgrid/pilot.sock, or nothing");
                }
                socket = Optional.of(Path.of(raw).normalize());
            }
        }
        f.rejectUnknownKeys();
        return new PilotSection(hv, uri, cache, cacheMax, slots, boot, state, acct, socket);
    }
}
