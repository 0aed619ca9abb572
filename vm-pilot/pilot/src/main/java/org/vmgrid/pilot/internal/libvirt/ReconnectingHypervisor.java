package org.vmgrid.pilot.internal.libvirt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;

/**
 * A {@link Hypervisor} that outlives a restart of libvirtd. A libvirt connection dies with the
 * daemon, while the guests it started run on (their QEMU processes are not the daemon's to stop,
 * and a new daemon takes them over). So each call goes to a live connection: one that died is
 * replaced by a new one, tried again until {@code patience} has passed, and a call that failed
 * because its connection died on the way is made again on the new one. Only libvirt that stays
 * unreachable for that long fails the call (kind HOST, saying so). Dead connections are closed
 * with this one, never while another thread may still be in a call on them.
 */
public final class ReconnectingHypervisor implements Hypervisor {

    /** A connection that can tell whether it still reaches libvirt. */
    public interface Connection extends Hypervisor {

        /** Whether the connection still reaches libvirtd (false once the daemon went away). */
        boolean alive();
    }

    /** One call on a connection. */
    @FunctionalInterface
    private interface Call<T> {
        T on(Hypervisor h) throws InterruptedException;
    }

    private final Supplier<Connection> opener;
    private final Duration patience;
    private final String what;
    private final List<Connection> retired = new ArrayList<>();
    private Connection current;

    /**
     * Opens the first connection at once (so a libvirt that is not there fails now, as before).
     *
     * @param opener opens a new connection; throws a {@link PilotException} when libvirt cannot be reached
     * @param patience how long a call waits for libvirt to come back
     * @param what the connection's name in messages (its URI)
     */
    public ReconnectingHypervisor(Supplier<Connection> opener, Duration patience, String what) {
        this.opener = opener;
        this.patience = patience;
        this.what = what;
        this.current = opener.get();
    }

    /** A live connection, waiting for libvirt until the deadline. */
    private synchronized Connection live(long deadline) throws InterruptedException {
        PilotException last = null;
        while (current == null || !current.alive()) {
            if (current != null) {
                retired.add(current);
                current = null;
            }
            try {
                current = opener.get();
            } catch (PilotException e) {
                last = e;
                if (System.nanoTime() > deadline) {
                    throw new PilotException(FailureKind.HOST, "libvirt (" + what + ") has been unreachable for "
                            + patience.toSeconds() + " s: " + e.getMessage(), e);
                }
                Thread.sleep(500);
            }
        }
        return current;
    }

    private <T> T call(Call<T> call) {
        long deadline = System.nanoTime() + patience.toNanos();
        try {
            while (true) {
                Connection c = live(deadline);
                try {
                    T result = call.on(c);
                    if (c.alive()) {
                        return result;
                    }
                } catch (PilotException e) {
                    if (c.alive() || System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                // the connection died during the call: its answer is not libvirt's; ask again
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PilotException(FailureKind.HOST, "interrupted while waiting for libvirt (" + what + ")", e);
        }
    }

    @Override
    public boolean runsGuestsAsAnyUser() {
        return call(Hypervisor::runsGuestsAsAnyUser);
    }

    @Override
    public String define(String domainXml) {
        return call(h -> h.define(domainXml));
    }

    @Override
    public void start(String name) {
        call(h -> {
            h.start(name);
            return null;
        });
    }

    @Override
    public boolean isRunning(String name) {
        return call(h -> h.isRunning(name));
    }

    @Override
    public boolean awaitStop(String name, long millis) throws InterruptedException {
        Connection c;
        synchronized (this) {
            c = current;
        }
        if (c == null || !c.alive()) {
            Thread.sleep(millis);
            return false;
        }
        return c.awaitStop(name, millis);
    }

    @Override
    public double cpuSeconds(String name) {
        return call(h -> h.cpuSeconds(name));
    }

    @Override
    public void destroy(String name) {
        call(h -> {
            h.destroy(name);
            return null;
        });
    }

    @Override
    public void undefine(String name) {
        call(h -> {
            h.undefine(name);
            return null;
        });
    }

    @Override
    public List<LabelledDomain> labelledDomains() {
        return call(Hypervisor::labelledDomains);
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            retired.add(current);
            current = null;
        }
        for (Connection c : retired) {
            c.close();
        }
        retired.clear();
    }
}
