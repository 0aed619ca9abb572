package org.vmgrid.pilot.internal.golden;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.internal.cache.ImageCache;
import org.vmgrid.pilot.internal.domain.DomainPlan;
import org.vmgrid.pilot.internal.domain.DomainType;
import org.vmgrid.pilot.internal.job.Overlays;
import org.vmgrid.pilot.internal.libvirt.Hypervisor;

/**
 * Warm starts: which golden snapshot a job's VM is restored from, and making goldens where there
 * are none, one at a time in a thread of their own, so that no job ever waits for one: a job that
 * finds none boots, and asks for one to be made for its slot. A build that failed is not tried again
 * for {@link #RETRY_AFTER}. A golden that fails to restore is removed and made again.
 */
public final class Goldens implements AutoCloseable {

    /** How long a golden whose build failed is not tried again. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(10);

    private final GoldenStore store;
    private final GoldenBuilder builder;
    private final Hypervisor hv;
    private final Clock clock;
    private final PrintStream log;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Map<String, String> pending = new ConcurrentHashMap<>();
    private final Map<String, Failure> failed = new ConcurrentHashMap<>();
    private final Thread thread;

    private record Request(GoldenKey key, org.vmgrid.api.ImageDescriptor image, int slot) {
    }

    private record Failure(Instant until, String reason) {
    }

    /** What a job gets: a golden to restore, or why its VM boots (having asked for a golden where that helps). */
    public record Lookup(Optional<Golden> golden, String note) {
    }

    public Goldens(GoldenStore store, ImageCache cache, Hypervisor hv, DomainPlan plan, Overlays overlays, Path stateDir,
            Duration bootTimeout, long consoleMaxBytes, long pilotPid, Clock clock, PrintStream log) {
        this.store = store;
        this.builder = new GoldenBuilder(store, cache, hv, plan, overlays, stateDir, bootTimeout, consoleMaxBytes,
                pilotPid, clock);
        this.hv = hv;
        this.clock = clock;
        this.log = log;
        this.thread = new Thread(this::buildLoop, "vmgrid golden builder");
        thread.setDaemon(true);
        thread.start();
    }

    /** Removes the goldens other QEMU or libvirt versions made (at start). */
    public void removeOtherVersions() {
        for (String id : store.removeOtherVersions(versions())) {
            log.println("vmgrid pilot: golden " + id + " was made with other QEMU or libvirt versions than "
                    + versions() + "; removed");
        }
    }

    /** Asked at every lookup, so that a new QEMU or libvirt makes its goldens stale at once. */
    private String versions() {
        return hv.versions();
    }

    /** The key of a job's golden: its image and shape, this node's hypervisor and versions. */
    public GoldenKey keyOf(PilotJob job, DomainType type) {
        return new GoldenKey(job.vm().image().uuid(), job.vm().image().sha512(), job.vm().memoryMiB(), job.vm().cpus(),
                type, versions());
    }

    /**
     * The golden a job in {@code slot} is restored from, if there is one; else why the job boots, and
     * a build of the golden asked for.
     */
    public Lookup lookup(PilotJob job, DomainType type, int slot) {
        GoldenKey key = keyOf(job, type);
        GoldenStore.Found found = store.find(key, slot);
        if (found.golden().isPresent()) {
            return new Lookup(found.golden(), "");
        }
        String note = found.note().isEmpty() ? "" : found.note() + "; ";
        return new Lookup(Optional.empty(), note + request(key, job, slot));
    }

    private String request(GoldenKey key, PilotJob job, int slot) {
        String id = key.id() + "/" + slot;
        Failure f = failed.get(id);
        if (f != null && clock.instant().isBefore(f.until())) {
            return "golden " + id + " could not be made (" + f.reason() + "); it is tried again from " + f.until();
        }
        if (pending.putIfAbsent(id, id) != null) {
            return "golden " + id + " is being made";
        }
        queue.add(new Request(key, job.vm().image(), slot));
        return "no golden " + id + " yet; it is being made";
    }

    /**
     * A golden that libvirt could not restore: removed (and made again at a later job), and said so.
     *
     * @return the note for the job's record
     */
    public String failedToRestore(Golden g, String reason) {
        store.remove(g.key(), g.slot());
        String note = g.describe() + " failed to restore (" + reason + "); it was removed and the VM booted";
        log.println("vmgrid pilot: " + note);
        return note;
    }

    private void buildLoop() {
        try {
            while (true) {
                Request r = queue.take();
                String id = r.key().id() + "/" + r.slot();
                try {
                    builder.build(r.key(), r.image(), r.slot(), log);
                    failed.remove(id);
                } catch (PilotException e) {
                    Instant until = clock.instant().plus(RETRY_AFTER);
                    failed.put(id, new Failure(until, e.getMessage()));
                    log.println("vmgrid pilot: golden " + id + " (" + r.key().shape() + ") could not be made: "
                            + e.getMessage() + "; its jobs boot, and it is tried again from " + until);
                } catch (RuntimeException e) {
                    failed.put(id, new Failure(clock.instant().plus(RETRY_AFTER), e.toString()));
                    log.println("vmgrid pilot: golden " + id + " could not be made: " + e);
                } finally {
                    pending.remove(id);
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Whether no golden is queued or being made (for tests and benchmarks that wait for one). */
    public boolean idle() {
        return pending.isEmpty();
    }

    /** Stops making goldens; a build under way is stopped and leaves nothing behind. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
