package org.vmgrid.pilot.internal.golden;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.internal.cache.ImageCache;
import org.vmgrid.pilot.internal.cache.ImageLease;
import org.vmgrid.pilot.internal.domain.Disk;
import org.vmgrid.pilot.internal.domain.DomainPlan;
import org.vmgrid.pilot.internal.domain.DomainXmlEncoder;
import org.vmgrid.pilot.internal.domain.JobPort;
import org.vmgrid.pilot.internal.files.Fifo;
import org.vmgrid.pilot.internal.files.FileTrees;
import org.vmgrid.pilot.internal.job.BuildRecord;
import org.vmgrid.pilot.internal.job.GuestStatus;
import org.vmgrid.pilot.internal.job.JobFiles;
import org.vmgrid.pilot.internal.job.Overlays;
import org.vmgrid.pilot.internal.libvirt.Hypervisor;

/**
 * Makes one golden snapshot: boots the image in the golden's shape with no job at all (an empty
 * directory for the job directory, QEMU as libvirt's own QEMU user), waits for the guest to say
 * {@code ready} (bounded by {@code boot.timeout}), has libvirt save it into the store and keeps the
 * disk beside it. The build's files live in {@code state.dir/golden-<id>-<slot>}, marked as a build
 * ({@link BuildRecord}), and the VM carries vmgrid's label, so what a pilot that died mid-build left
 * is removed (never accounted as a job) when the next one starts; {@link GoldenStore#removeUnfinished}
 * removes the state it may have begun to save.
 */
final class GoldenBuilder {

    private static final Pattern GENID = Pattern.compile("<genid>([0-9a-f-]{36})</genid>");
    private static final Pattern MACHINE = Pattern.compile("<type[^>]*\\smachine=['\"]([a-z0-9._-]{1,64})['\"]");
    private static final long POLL_MILLIS = 200;

    private final GoldenStore store;
    private final ImageCache cache;
    private final Hypervisor hv;
    private final DomainPlan plan;
    private final Overlays overlays;
    private final Path stateDir;
    private final Duration bootTimeout;
    private final long consoleMaxBytes;
    private final long pilotPid;
    private final Clock clock;

    GoldenBuilder(GoldenStore store, ImageCache cache, Hypervisor hv, DomainPlan plan, Overlays overlays, Path stateDir,
            Duration bootTimeout, long consoleMaxBytes, long pilotPid, Clock clock) {
        this.store = store;
        this.cache = cache;
        this.hv = hv;
        this.plan = plan;
        this.overlays = overlays;
        this.stateDir = stateDir;
        this.bootTimeout = bootTimeout;
        this.consoleMaxBytes = consoleMaxBytes;
        this.pilotPid = pilotPid;
        this.clock = clock;
    }

    /**
     * Builds the key's golden for a slot; whatever happens, no VM and no build file is left behind.
     *
     * @throws PilotException with the reason the golden could not be made
     */
    Golden build(GoldenKey key, ImageDescriptor image, int slot, PrintStream log) throws InterruptedException {
        Instant t0 = clock.instant();
        String labelId = GoldenStore.buildId(key, slot);
        Path dir = stateDir.resolve(labelId);
        JobFiles files = new JobFiles(dir, dir.resolve("workdir"));
        String name = GoldenStore.restoreOf(key, slot, "", "").name();
        boolean done = false;
        try (ImageLease base = cache.lease(image)) {
            prepare(files, base);
            store.clear(key, slot);
            DomainPlan.Restore unsaved = GoldenStore.restoreOf(key, slot, "", "");
            hv.define(new DomainXmlEncoder().encode(plan.planGolden(unsaved, labelId, key.memoryMiB(), key.cpus(), files,
                    new Disk.BaseImage(base.base(), base.format()), key.type(), pilotPid)));
            DomainPlan.Restore restore = identityOf(key, slot, hv.definitionOf(name));
            try (FileChannel status = FileChannel.open(files.status(), StandardOpenOption.READ);
                    FileChannel console = FileChannel.open(files.console(), StandardOpenOption.READ)) {
                hv.start(name);
                awaitReady(name, status, console);
            }
            hv.save(name, store.stateFileFor(key, slot));
            hv.undefine(name);
            double seconds = Duration.between(t0, clock.instant()).toMillis() / 1000.0;
            Golden g = store.keep(key, slot, files.overlay(), restore, clock.instant(), seconds);
            done = true;
            log.println("vmgrid pilot: " + g.describe() + " made in " + String.format(java.util.Locale.ROOT, "%.1f", seconds)
                    + " s");
            for (String stale : store.removeStale(key)) {
                log.println("vmgrid pilot: golden " + stale + " of the same image and shape is stale (" + key.shape()
                        + " now has sha512 " + key.imageSha512().substring(0, 16) + "..., versions " + key.versions()
                        + "); removed");
            }
            return g;
        } catch (IOException e) {
            throw new PilotException(FailureKind.HOST, "cannot make the files of golden " + key.id() + "/" + slot + ": "
                    + e.getMessage(), e);
        } finally {
            try {
                hv.destroy(name);
                hv.undefine(name);
            } catch (PilotException e) {
                log.println("vmgrid pilot: warning: " + e.getMessage());
            }
            FileTrees.deleteQuietly(dir);
            if (!done) {
                store.remove(key, slot);
            }
        }
    }

    /** The build's own files, as a job's: a private directory, then searchable for QEMU's user. */
    private void prepare(JobFiles files, ImageLease base) throws IOException {
        FileTrees.deleteQuietly(files.dir());
        Files.createDirectories(files.dir().getParent());
        Files.createDirectory(files.dir());
        Files.setPosixFilePermissions(files.dir(), PosixFilePermissions.fromString("rwx------"));
        BuildRecord.writeTo(files.dir(), pilotPid); // no job's: if this pilot dies, the next removes it unaccounted
        overlays.create(base.base(), base.format(), files.overlay());
        // the job directory of no job: empty, and QEMU (libvirt's own user) must open it
        Files.createDirectory(files.workdir());
        Files.setPosixFilePermissions(files.workdir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path p : new Path[] {files.stdout(), files.stderr(), files.status(), files.console()}) {
            Files.write(p, new byte[0]);
        }
        JobPort port = new JobPort(files.jobPort());
        Fifo.make(port.input(), 0600);
        Fifo.make(port.output(), 0600);
        for (Path p : new Path[] {files.overlay(), files.stdout(), files.stderr(), files.status(), files.console()}) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }
        Files.setPosixFilePermissions(files.dir(), PosixFilePermissions.fromString("rwx--x--x"));
    }

    /** The generation id and machine type libvirt gave the defined golden, which every restore must repeat. */
    static DomainPlan.Restore identityOf(GoldenKey key, int slot, String definedXml) {
        Matcher g = GENID.matcher(definedXml);
        Matcher m = MACHINE.matcher(definedXml);
        if (!g.find() || !m.find()) {
            throw new PilotException(FailureKind.HOST, "libvirt gave golden " + key.id() + "/" + slot + " no VM generation "
                    + "id or no machine type; this libvirt or QEMU cannot start VMs warm (set warm.start = false)");
        }
        return GoldenStore.restoreOf(key, slot, g.group(1), m.group(1));
    }

    private void awaitReady(String name, FileChannel status, FileChannel console) throws IOException, InterruptedException {
        Instant deadline = clock.instant().plus(bootTimeout);
        while (true) {
            boolean running = hv.isRunning(name);
            GuestStatus s = GuestStatus.read(status, 4096);
            if (s.ready() && !s.booted() && !s.finished()) {
                return;
            }
            if (s.booted() || s.finished()) {
                throw new PilotException(FailureKind.BOOT, "the guest went past 'ready' without a job"
                        + s.error().map(e -> " (" + e + ")").orElse("") + "; its agent does not keep guest contract 2");
            }
            if (!running) {
                throw new PilotException(FailureKind.BOOT, "the guest stopped before it said 'ready'");
            }
            if (console.size() > consoleMaxBytes) {
                throw new PilotException(FailureKind.LIMIT, "the guest wrote more than " + consoleMaxBytes
                        + " bytes to its console (console.max.bytes)");
            }
            if (clock.instant().isAfter(deadline)) {
                throw new PilotException(FailureKind.BOOT, "the guest did not say 'ready' within " + bootTimeout.toSeconds()
                        + " s (boot.timeout)");
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            hv.awaitStop(name, POLL_MILLIS);
        }
    }
}
