package org.vmgrid.pilot.internal.libvirt;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import org.libvirt.LibvirtException;
import org.libvirt.Library;

/**
 * libvirt's default event loop, which libvirt itself keeps once per process: registered before the
 * first connection is opened and run by one daemon thread for the life of the JVM. Without it,
 * domain events are not delivered and the pilot falls back to polling the domain's state.
 */
final class LibvirtEventLoop {

    private static final Object LOCK = new Object();
    private static Boolean running;

    private LibvirtEventLoop() {
    }

    /** Starts the loop unless it runs; true when events can be delivered. */
    static boolean ensureRunning() {
        synchronized (LOCK) {
            if (running == null) {
                running = start();
            }
            return running;
        }
    }

    private static boolean start() {
        try {
            Library.initEventLoop();
        } catch (LibvirtException | UnsatisfiedLinkError e) {
            return false;
        }
        // libvirt-java may still deliver an event that was in flight when its connection closed, and
        // then fails in its own callback; JNA would print that on the job's stderr. Only libvirt-java's
        // callbacks are quietened; any other goes to the handler there was.
        Callback.UncaughtExceptionHandler before = Native.getCallbackExceptionHandler();
        Native.setCallbackExceptionHandler((callback, e) -> {
            if (!callback.getClass().getName().startsWith("org.libvirt.")) {
                before.uncaughtException(callback, e);
            }
        });
        Thread t = new Thread(() -> {
            try {
                Library.runEventLoop();
            } catch (LibvirtException e) {
                // the loop failed: isRunning() goes on polling the domain's state
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vmgrid-libvirt-events");
        t.setDaemon(true);
        t.start();
        return true;
    }
}
