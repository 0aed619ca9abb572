package org.vmgrid.pilot.internal.libvirt;

import java.util.List;

/**
 * Our small interface over libvirt: just what the pilot does with domains. Unit tests mock it;
 * {@link LibvirtHypervisor} is the real one. Failures are {@link org.vmgrid.pilot.PilotException}s
 * of kind HOST naming the domain and the libvirt error.
 */
public interface Hypervisor extends AutoCloseable {

    /**
     * Whether libvirt can run a guest's QEMU as a user the domain names (its DAC security driver is
     * there: a system libvirtd), rather than as the daemon's own user only (a session libvirtd).
     */
    boolean runsGuestsAsAnyUser();

    /** Defines a persistent domain from its XML; returns its name. */
    String define(String domainXml);

    /** Starts a defined domain. */
    void start(String name);

    /**
     * Whether the guest is running. False for a domain that does not exist, is shut off, crashed, or
     * whose guest powered itself off (libvirt then still tears the QEMU process down for a moment:
     * {@link #destroy} and {@link #undefine} are still needed).
     */
    boolean isRunning(String name);

    /**
     * Waits up to {@code millis} for the guest to stop running, returning early when libvirt tells
     * of its power-off or stop (without events it just waits).
     *
     * @return true when libvirt told that the guest stopped running
     */
    default boolean awaitStop(String name, long millis) throws InterruptedException {
        Thread.sleep(millis);
        return false;
    }

    /** CPU seconds the domain used so far; 0 when it is not running. */
    double cpuSeconds(String name);

    /** Stops the domain at once (power cut). No effect when it is not running or does not exist. */
    void destroy(String name);

    /** Removes the domain's definition. No effect when it does not exist. */
    void undefine(String name);

    /** Every domain, running or not, that carries vmgrid's job label. */
    List<LabelledDomain> labelledDomains();

    @Override
    void close();
}
