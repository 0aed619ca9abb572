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
 * @param guestCaps how much a guest may write through each of its ways back to the host
 * @param serviceLimits how many clients the pilot service takes at once, in all and per user
 */
public record PilotSection(String hypervisor, String libvirtUri, Path cacheDir, long cacheMaxBytes, int slots,
        int bootTimeoutSeconds, Path stateDir, Path accountingFile, Optional<Path> serviceSocket, GuestCaps guestCaps,
        ServiceLimits serviceLimits) {

    /**
     * What a guest may write before it is stopped (the job then fails with that reason).
     *
     * @param outputMaxBytes {@code output.max.bytes}: the payload's stdout, and its stderr, each
     * @param consoleMaxBytes {@code console.max.bytes}: the serial console (kernel and init log)
     * @param statusMaxBytes {@code status.max.bytes}: the status port (the guest contract needs a few short lines)
     */
    public record GuestCaps(long outputMaxBytes, long consoleMaxBytes, int statusMaxBytes) {
        public static GuestCaps builtIn() {
            return new GuestCaps(1L << 30, 1L << 20, 4096);
        }
    }

    /**
     * The pilot service's connections: each holds a thread of the service while its job waits for a
     * slot or runs, so one user may hold only so many that the others are always served.
     *
     * @param maxConnections {@code service.max.connections}: all clients at once
     * @param maxConnectionsPerUser {@code service.max.connections.per.user}: one user's clients at once
     */
    public record ServiceLimits(int maxConnections, int maxConnectionsPerUser) {
        public static ServiceLimits builtIn() {
            return new ServiceLimits(256, 16);
        }
    }

    public PilotSection {
        Objects.requireNonNull(serviceSocket, "serviceSocket");
        Objects.requireNonNull(guestCaps, "guestCaps");
        Objects.requireNonNull(serviceLimits, "serviceLimits");
    }

    /** A section with the built-in guest caps and service limits. */
    public PilotSection(String hypervisor, String libvirtUri, Path cacheDir, long cacheMaxBytes, int slots,
            int bootTimeoutSeconds, Path stateDir, Path accountingFile, Optional<Path> serviceSocket) {
        this(hypervisor, libvirtUri, cacheDir, cacheMaxBytes, slots, bootTimeoutSeconds, stateDir, accountingFile,
                serviceSocket, GuestCaps.builtIn(), ServiceLimits.builtIn());
    }

    public static PilotSection builtIn() {
        return new PilotSection("auto", "qemu:///system", Path.of("/var/lib/vmgrid/cache"), 20L << 30, 4, 300,
                Path.of("/var/lib/vmgrid/jobs"), Path.of("/var/log/vmgrid/accounting.jsonl"), Optional.empty());
    }

    /** This section with the pilot service listening on {@code socket}. */
    public PilotSection withServiceSocket(Path socket) {
        return new PilotSection(hypervisor, libvirtUri, cacheDir, cacheMaxBytes, slots, bootTimeoutSeconds, stateDir,
                accountingFile, Optional.of(socket), guestCaps, serviceLimits);
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
        GuestCaps c = GuestCaps.builtIn();
        GuestCaps caps = new GuestCaps(
                f.longValue("output.max.bytes", c.outputMaxBytes(), 1L << 10, Long.MAX_VALUE, "bytes"),
                f.longValue("console.max.bytes", c.consoleMaxBytes(), 1L << 10, Long.MAX_VALUE, "bytes"),
                f.integer("status.max.bytes", c.statusMaxBytes(), 64, 1 << 20, "bytes"));
        ServiceLimits l = ServiceLimits.builtIn();
        int maxConnections = f.integer("service.max.connections", l.maxConnections(), 1, 4096, "connections");
        int perUser = f.integer("service.max.connections.per.user", Math.min(l.maxConnectionsPerUser(), maxConnections),
                1, 4096, "connections");
        if (perUser > maxConnections) {
            throw f.bad("service.max.connections.per.user", String.valueOf(perUser), "at most service.max.connections ("
                    + maxConnections + ")");
        }
        f.rejectUnknownKeys();
        return new PilotSection(hv, uri, cache, cacheMax, slots, boot, state, acct, socket, caps,
                new ServiceLimits(maxConnections, perUser));
    }
}
