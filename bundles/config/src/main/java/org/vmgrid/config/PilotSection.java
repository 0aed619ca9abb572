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
 * @param outbound how the node keeps {@code outbound} guests off itself
 */
public record PilotSection(String hypervisor, String libvirtUri, Path cacheDir, long cacheMaxBytes, int slots,
        int bootTimeoutSeconds, Path stateDir, Path accountingFile, Optional<Path> serviceSocket, GuestCaps guestCaps,
        ServiceLimits serviceLimits, Outbound outbound) {

    /**
     * How an {@code outbound} guest is kept off the worker node itself: its QEMU (whose user-mode
     * network makes the guest's connections) runs with {@code group} as its group, and the node's
     * firewall ({@code vmgrid pilot firewall}) rejects that group's connections to the node's own
     * addresses (loopback included) and to link-local ones, but for the {@code allow} exceptions.
     *
     * @param group {@code outbound.group}: the group; empty: this node runs no {@code outbound} guest
     * @param allow {@code outbound.allow}: the node's services a guest may reach (e.g. a local proxy
     *     or resolver)
     */
    public record Outbound(Optional<String> group, List<Allowed> allow) {

        public Outbound {
            Objects.requireNonNull(group, "group");
            allow = List.copyOf(allow);
        }

        public static Outbound none() {
            return new Outbound(Optional.empty(), List.of());
        }

        /**
         * One reachable destination: {@code ADDRESS[/PREFIX] [tcp|udp PORT]}.
         *
         * @param network the address and prefix length, e.g. {@code 127.0.0.1/32}
         * @param protocol {@code tcp}, {@code udp}, or empty for any
         * @param port the port, 0 for any
         */
        public record Allowed(String network, String protocol, int port) {

            /** Whether the network is an IPv6 one. */
            public boolean ipv6() {
                return network.contains(":");
            }

            static Allowed parse(String item) {
                String[] w = item.trim().split("\\s+");
                if (w.length != 1 && w.length != 3) {
                    throw new IllegalArgumentException("ADDRESS[/PREFIX] [tcp|udp PORT]");
                }
                String[] np = w[0].split("/", -1);
                boolean v6 = np[0].contains(":");
                if (np.length > 2 || !(v6 ? np[0].matches("[0-9a-fA-F:.]{2,45}")
                        : np[0].matches("(\\d{1,3}\\.){3}\\d{1,3}"))) {
                    throw new IllegalArgumentException("an IPv4 or IPv6 address, optionally /PREFIX");
                }
                if (!v6 && java.util.Arrays.stream(np[0].split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
                    throw new IllegalArgumentException("an IPv4 address has four numbers from 0 to 255");
                }
                try {
                    java.net.InetAddress.getByName(np[0]); // a checked literal: no name is looked up
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalArgumentException("an IPv4 or IPv6 address");
                }
                int max = v6 ? 128 : 32;
                int prefix = np.length == 2 ? Integer.parseInt(np[1].matches("\\d{1,3}") ? np[1] : "-1") : max;
                if (prefix < 0 || prefix > max) {
                    throw new IllegalArgumentException("a prefix length from 0 to " + max);
                }
                String protocol = "";
                int port = 0;
                if (w.length == 3) {
                    protocol = w[1];
                    if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                        throw new IllegalArgumentException("tcp or udp before the port");
                    }
                    port = w[2].matches("\\d{1,5}") ? Integer.parseInt(w[2]) : 0;
                    if (port < 1 || port > 65535) {
                        throw new IllegalArgumentException("a port from 1 to 65535");
                    }
                }
                return new Allowed(np[0].toLowerCase(java.util.Locale.ROOT) + "/" + prefix, protocol, port);
            }
        }
    }

    /**
     * What a guest may write before it is stopped (the job then fails with that reason).
     *
     * @param outputMaxBytes {@code output.max.bytes}: the payload's stdout, and its stderr, each
     * @param consoleMaxBytes {@code console.max.bytes}: the serial console (kernel and init log)
     * @param statusMaxBytes {@code status.max.bytes}: the status port (the guest contract needs a few short lines)
     * @param jobdirMaxBytes {@code jobdir.max.bytes}: for guests that take the job directory on disks
     *     (stock cloud-init images), the most its archive may take either way
     */
    public record GuestCaps(long outputMaxBytes, long consoleMaxBytes, int statusMaxBytes, long jobdirMaxBytes) {
        public static GuestCaps builtIn() {
            return new GuestCaps(1L << 30, 1L << 20, 4096, 1L << 30);
        }

        /** Caps with the built-in {@code jobdir.max.bytes}. */
        public GuestCaps(long outputMaxBytes, long consoleMaxBytes, int statusMaxBytes) {
            this(outputMaxBytes, consoleMaxBytes, statusMaxBytes, 1L << 30);
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
        Objects.requireNonNull(outbound, "outbound");
    }

    /** A section with the built-in guest caps and service limits, and no outbound guests. */
    public PilotSection(String hypervisor, String libvirtUri, Path cacheDir, long cacheMaxBytes, int slots,
            int bootTimeoutSeconds, Path stateDir, Path accountingFile, Optional<Path> serviceSocket) {
        this(hypervisor, libvirtUri, cacheDir, cacheMaxBytes, slots, bootTimeoutSeconds, stateDir, accountingFile,
                serviceSocket, GuestCaps.builtIn(), ServiceLimits.builtIn(), Outbound.none());
    }

    public static PilotSection builtIn() {
        return new PilotSection("auto", "qemu:///system", Path.of("/var/lib/vmgrid/cache"), 20L << 30, 4, 300,
                Path.of("/var/lib/vmgrid/jobs"), Path.of("/var/log/vmgrid/accounting.jsonl"), Optional.empty());
    }

    /** This section with the pilot service listening on {@code socket}. */
    public PilotSection withServiceSocket(Path socket) {
        return new PilotSection(hypervisor, libvirtUri, cacheDir, cacheMaxBytes, slots, bootTimeoutSeconds, stateDir,
                accountingFile, Optional.of(socket), guestCaps, serviceLimits, outbound);
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
                f.integer("status.max.bytes", c.statusMaxBytes(), 64, 1 << 20, "bytes"),
                f.longValue("jobdir.max.bytes", c.jobdirMaxBytes(), 1L << 20, 1L << 40, "bytes"));
        ServiceLimits l = ServiceLimits.builtIn();
        int maxConnections = f.integer("service.max.connections", l.maxConnections(), 1, 4096, "connections");
        int perUser = f.integer("service.max.connections.per.user", Math.min(l.maxConnectionsPerUser(), maxConnections),
                1, 4096, "connections");
        if (perUser > maxConnections) {
            throw f.bad("service.max.connections.per.user", String.valueOf(perUser), "at most service.max.connections ("
                    + maxConnections + ")");
        }
        Optional<String> group = Optional.empty();
        if (f.has("outbound.group") && !f.raw("outbound.group").isEmpty()) {
            group = Optional.of(f.string("outbound.group", "", java.util.regex.Pattern.compile("[a-z_][a-z0-9_-]{0,20}"),
                    "a group name (lower case, at most 21 characters) the node's firewall keys on"));
        }
        List<Outbound.Allowed> allow = new java.util.ArrayList<>();
        for (String item : f.list("outbound.allow", List.of())) {
            try {
                allow.add(Outbound.Allowed.parse(item));
            } catch (IllegalArgumentException e) {
                throw f.bad("outbound.allow", item, "items ADDRESS[/PREFIX] [tcp|udp PORT]: " + e.getMessage());
            }
        }
        f.rejectUnknownKeys();
        return new PilotSection(hv, uri, cache, cacheMax, slots, boot, state, acct, socket, caps,
                new ServiceLimits(maxConnections, perUser), new Outbound(group, allow));
    }
}
