package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.internal.libvirt.Hypervisor;

/**
 * Watches one running domain: relays its output, reads its status port, and ends it on the boot
 * timeout, the run timeout, a size cap or cancellation. Both times and every size are bounded.
 */
final class Watch {

    /** How a watched job ended. */
    record Result(Optional<Integer> exitCode, Optional<FailureKind> failure, String reason, double cpuSeconds) {
    }

    /** How often the domain and the status are checked; a guest's power-off wakes the watch at once. */
    private static final long POLL_MILLIS = 100;
    /** How often the status port alone is looked at before the payload starts. */
    private static final long GLANCE_MILLIS = 10;
    private static final Duration POWEROFF_GRACE = Duration.ofSeconds(10);
    /** What a guest that never started its payload tells the job's owner. */
    static final String NOT_BOOTING = "the image did not boot on this node: run the job again or with another "
            + "image, or ask the site to check this one";

    private final Hypervisor hv;
    private final Clock clock;
    private final String domain;
    private final GuestFiles files;
    private final Duration bootTimeout;
    private final Duration runTimeout;
    private final SizeCaps caps;
    private final AtomicBoolean cancelled;
    private final Runnable onReady;
    private double cpu;
    private Instant bootedAt;
    private Instant endedAt;
    private boolean readySeen;

    Watch(Hypervisor hv, Clock clock, String domain, GuestFiles files, Duration bootTimeout, Duration runTimeout,
            SizeCaps caps, AtomicBoolean cancelled) {
        this(hv, clock, domain, files, bootTimeout, runTimeout, caps, cancelled, () -> { });
    }

    /** @param onReady called once when the guest says {@code ready} (guest contract 2: the job is sent then) */
    Watch(Hypervisor hv, Clock clock, String domain, GuestFiles files, Duration bootTimeout, Duration runTimeout,
            SizeCaps caps, AtomicBoolean cancelled, Runnable onReady) {
        this.onReady = onReady;
        this.hv = hv;
        this.clock = clock;
        this.domain = domain;
        this.files = files;
        this.bootTimeout = bootTimeout;
        this.runTimeout = runTimeout;
        this.caps = caps;
        this.cancelled = cancelled;
    }

    Result run(OutputStream stdout, OutputStream stderr) throws IOException, InterruptedException {
        try (OutputRelay out = new OutputRelay(files.stdout, stdout, "stdout", caps.outputBytes());
                OutputRelay err = new OutputRelay(files.stderr, stderr, "stderr", caps.outputBytes())) {
            Result r = watch(out, err);
            out.finish();
            err.finish();
            return r;
        }
    }

    private Result watch(OutputRelay out, OutputRelay err) throws IOException, InterruptedException {
        Instant bootDeadline = clock.instant().plus(bootTimeout);
        Instant runDeadline = null;
        Instant stoppedAt = null;
        while (true) {
            // the domain first, then the status: a guest that reported and powered off in between
            // must not be taken for one that stopped without reporting
            boolean active = hv.isRunning(domain);
            if (active) {
                cpu = Math.max(cpu, hv.cpuSeconds(domain));
            }
            Optional<String> over = overCap(out, err);
            if (over.isPresent()) {
                return new Result(Optional.empty(), Optional.of(FailureKind.LIMIT), over.get() + "; the guest was stopped",
                        cpu);
            }
            GuestStatus s;
            try {
                s = GuestStatus.read(files.status, caps.statusBytes());
            } catch (GuestStatus.StatusOverflow e) {
                return new Result(Optional.empty(), Optional.of(FailureKind.LIMIT), e.getMessage()
                        + "; the guest was stopped", cpu);
            }
            Instant now = clock.instant();
            if (s.ready() && !readySeen) {
                readySeen = true;
                onReady.run();
            }
            if (s.booted() && bootedAt == null) {
                bootedAt = now;
            }
            if (s.finished()) {
                if (stoppedAt == null) {
                    stoppedAt = now;
                }
                if (!active && endedAt == null) {
                    endedAt = now;
                }
                // the guest syncs and powers off by itself; a grace period, then it is destroyed anyway
                if (!active || now.isAfter(stoppedAt.plus(POWEROFF_GRACE))) {
                    return reported(s);
                }
            } else if (!active) {
                return fail(FailureKind.BOOT, s.booted() ? "the guest stopped without reporting the payload's exit code"
                        : "the guest stopped before it started the payload; " + NOT_BOOTING);
            } else if (cancelled.get()) {
                return fail(FailureKind.CANCELLED, "the job was cancelled; its VM was destroyed");
            } else if (!s.booted() && now.isAfter(bootDeadline)) {
                return fail(FailureKind.BOOT, "the guest did not start the payload within " + bootTimeout.toSeconds()
                        + " s (the site's boot.timeout); " + NOT_BOOTING + " (or to allow it longer)");
            } else if (s.booted()) {
                if (runDeadline == null) {
                    runDeadline = now.plus(runTimeout);
                } else if (now.isAfter(runDeadline)) {
                    return fail(FailureKind.TIMEOUT, "the payload ran longer than its timeout of "
                            + runTimeout.toSeconds() + " s and was stopped");
                }
            }
            if (s.booted()) {
                hv.awaitStop(domain, POLL_MILLIS);
            } else {
                glance();
            }
        }
    }

    /**
     * Until the payload starts, the status port is looked at every {@link #GLANCE_MILLIS} between
     * two full checks: a guest contract 2 guest gets its job as soon as it says ready, and the start
     * of the payload is seen to within that. A power-off ends the wait at once.
     */
    private void glance() throws IOException, InterruptedException {
        for (long waited = 0; waited < POLL_MILLIS; waited += GLANCE_MILLIS) {
            if (hv.awaitStop(domain, GLANCE_MILLIS)) {
                return;
            }
            GuestStatus s;
            try {
                s = GuestStatus.read(files.status, caps.statusBytes());
            } catch (GuestStatus.StatusOverflow e) {
                return; // the full check says so
            }
            if (s.ready() && !readySeen) {
                readySeen = true;
                onReady.run();
            }
            if (s.booted()) {
                if (bootedAt == null) {
                    bootedAt = clock.instant();
                }
                return;
            }
        }
    }

    /** When the guest said it started the payload, if it did. */
    Optional<Instant> bootedAt() {
        return Optional.ofNullable(bootedAt);
    }

    /** When the pilot saw the guest powered off after it reported the payload's end, if it did. */
    Optional<Instant> endedAt() {
        return Optional.ofNullable(endedAt);
    }

    /**
     * Which size cap the guest went past, if any: what it wrote is measured in the files themselves,
     * whether or not the client keeps up with the relay.
     */
    private Optional<String> overCap(OutputRelay out, OutputRelay err) throws IOException {
        boolean stdout = out.overflowed() || files.stdout.size() > caps.outputBytes();
        if (stdout || err.overflowed() || files.stderr.size() > caps.outputBytes()) {
            return Optional.of("the payload wrote more than " + caps.outputBytes() + " bytes to its "
                    + (stdout ? "stdout" : "stderr") + " (the site's cap, output.max.bytes); "
                    + "what came after the cap was not relayed");
        }
        if (files.console.size() > caps.consoleBytes()) {
            return Optional.of("the guest wrote more than " + caps.consoleBytes() + " bytes to its console "
                    + "(the site's cap, console.max.bytes)");
        }
        return Optional.empty();
    }

    private Result reported(GuestStatus s) {
        if (s.exitCode().isPresent()) {
            return new Result(Optional.of(s.exitCode().getAsInt()), Optional.empty(), "", cpu);
        }
        return new Result(Optional.empty(), Optional.of(FailureKind.BOOT),
                "the guest could not run the payload: " + s.error().orElse(""), cpu);
    }

    private Result fail(FailureKind kind, String reason) {
        return new Result(Optional.empty(), Optional.of(kind), reason + consoleTail(), cpu);
    }

    /** The console's last line, printable only, for a reason that points at the cause. */
    private String consoleTail() {
        try {
            String text = new String(GuestFiles.tail(files.console, 4096), StandardCharsets.ISO_8859_1);
            String[] lines = text.split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                String l = lines[i].replaceAll("[^\\x20-\\x7e]", "").strip();
                if (!l.isEmpty()) {
                    return "; last console line: " + (l.length() > 160 ? l.substring(0, 160) : l);
                }
            }
        } catch (IOException e) {
            // no console output is a diagnosis too
        }
        return "; the guest console printed nothing";
    }
}
