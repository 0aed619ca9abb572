package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One worker node of a {@link NodeLan} on this machine: network, mount and UTS namespaces of its
 * own, held by one {@code sleep} process (the node's "hardware"), with a hostname, an address on
 * the LAN through a veth pair ({@code eth0} inside), its own loopback and its own view of a few
 * files. Daemons are started in it with the argv prefix {@link #enter()}. {@link #powerOff()} is a
 * power loss: SIGKILL to every process of the node, by PID, and its link down; {@link #powerOn()}
 * brings the link back, for the node's daemons to be started again.
 */
public final class NodeNamespace implements AutoCloseable {

    /** Sets the hostname, binds {@code source target} pairs, says so and holds the namespaces. */
    private static final String HOLD = """
            set -e
            hostname "$1"; shift
            while [ $# -gt 0 ]; do mount --bind "$1" "$2"; shift 2; done
            echo held
            exec sleep infinity
            """;

    private final String hostname;
    private final String address;
    private final Process holder;

    private NodeNamespace(String hostname, String address, Process holder) {
        this.hostname = hostname;
        this.address = address;
        this.holder = holder;
    }

    static NodeNamespace start(String hostname, String address, String hostSide, String bridge, Map<Path, Path> binds)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("unshare", "--net", "--mount", "--uts", "--propagation", "private",
                "sh", "-c", HOLD, "sh", hostname));
        binds.forEach((target, source) -> {
            argv.add(source.toString());
            argv.add(target.toString());
        });
        Process holder = new ProcessBuilder(argv).redirectErrorStream(true).start();
        NodeNamespace node = new NodeNamespace(hostname, address, holder);
        try {
            String first = new String(holder.getInputStream().readNBytes(5));
            if (!first.equals("held\n")) {
                throw new IllegalStateException("the namespaces of node " + hostname + " were not made: " + first
                        + new String(holder.getInputStream().readNBytes(4096)));
            }
            String pid = Long.toString(holder.pid());
            NodeLan.run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", pid);
            NodeLan.run("ip", "link", "set", hostSide, "master", bridge, "up");
            node.inside("ip", "link", "set", "lo", "up");
            node.inside("ip", "addr", "add", address + "/24", "dev", "eth0");
            node.inside("ip", "link", "set", "eth0", "up");
            return node;
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
    }

    public String hostname() {
        return hostname;
    }

    /** The node's address on the LAN. */
    public String address() {
        return address;
    }

    /** The argv prefix that runs the rest in the node's namespaces. */
    public List<String> enter() {
        return List.of("nsenter", "--target", Long.toString(holder.pid()), "--net", "--mount", "--uts", "--");
    }

    private void inside(String... argv) {
        List<String> all = new ArrayList<>(enter());
        all.addAll(List.of(argv));
        NodeLan.run(all.toArray(String[]::new));
    }

    /** PIDs of the node's live processes (not zombies), its holder aside. */
    public List<Long> processes() {
        String net = namespace(holder.pid());
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.map(ProcessHandle::pid).filter(p -> p != holder.pid() && net.equals(namespace(p)) && !zombie(p))
                    .toList();
        }
    }

    private static String namespace(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean zombie(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "status")).contains("State:\tZ");
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * A power loss: the link goes down and every process of the node gets SIGKILL by its PID at once,
     * again until none is left (bounded); nothing shuts down cleanly. Answers the PIDs killed.
     */
    public List<Long> powerOff() throws InterruptedException {
        inside("ip", "link", "set", "eth0", "down");
        List<Long> killed = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (List<Long> left = processes(); !left.isEmpty(); left = processes()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processes of node " + hostname + " outlived SIGKILL: " + left);
            }
            for (long pid : left) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                if (!killed.contains(pid)) {
                    killed.add(pid);
                }
            }
            Thread.sleep(100);
        }
        return killed;
    }

    /** The power comes back: the link is up again (the node's daemons are to be started again). */
    public void powerOn() {
        inside("ip", "link", "set", "eth0", "up");
    }

    /** Kills what still runs in the node and its holder; the namespaces and the veth pair go with it. */
    @Override
    public void close() throws InterruptedException {
        try {
            if (holder.isAlive()) {
                powerOff();
            }
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
