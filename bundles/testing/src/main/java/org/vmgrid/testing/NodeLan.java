package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * The network of a site's worker nodes on one machine: a bridge in the root network namespace, on a
 * random private /24 of its own, whose first address is the root namespace's (where the batch
 * system's controller and the CE run). Each {@link NodeNamespace} joins it by a veth pair with an
 * address of its own. {@link #close} deletes the bridge (the nodes' veths go with their namespaces).
 */
public final class NodeLan implements AutoCloseable {

    private static final ProcessCommandRunner RUNNER = new ProcessCommandRunner();
    private final String bridge;
    private final String prefix;
    private int nextHost = 10;

    private NodeLan(String bridge, String prefix) {
        this.bridge = bridge;
        this.prefix = prefix;
    }

    /** Creates the bridge, addressed and up. */
    public static NodeLan start() {
        SecureRandom random = new SecureRandom();
        String name = "vmgbr" + HexFormat.of().toHexDigits((byte) random.nextInt()) + random.nextInt(1000);
        String prefix = "10." + (100 + random.nextInt(150)) + "." + random.nextInt(250) + ".";
        run("ip", "link", "add", name, "type", "bridge");
        NodeLan lan = new NodeLan(name, prefix);
        try {
            run("ip", "addr", "add", lan.rootAddress() + "/24", "dev", name);
            run("ip", "link", "set", name, "up");
            return lan;
        } catch (RuntimeException e) {
            lan.close();
            throw e;
        }
    }

    /** The root namespace's address on this network. */
    public String rootAddress() {
        return prefix + "1";
    }

    /**
     * A new node on this network: its own network, mount and UTS namespaces, hostname
     * {@code hostname}, the next free address.
     *
     * @param binds files or directories bound, in the node's mount namespace only, over others
     *     (target to source), as each real node has its own {@code /etc}
     */
    public NodeNamespace node(String hostname, Map<Path, Path> binds) throws IOException, InterruptedException {
        String address = prefix + nextHost++;
        return NodeNamespace.start(hostname, address, bridge + "-" + (nextHost - 11), bridge, binds);
    }

    static void run(String... argv) {
        RUNNER.runChecked(Command.of(Duration.ofSeconds(30), argv));
    }

    @Override
    public void close() {
        RUNNER.run(Command.of(Duration.ofSeconds(30), "ip", "link", "del", bridge));
    }
}
