package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.vmgrid.api.GuestAgent;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobDirectory;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.VmPilot;
import org.vmgrid.pilot.internal.cache.ImageLease;
import org.vmgrid.pilot.internal.cloudinit.SeedUserData;
import org.vmgrid.pilot.internal.context.ContextImages;
import org.vmgrid.pilot.internal.context.JobContextScript;
import org.vmgrid.pilot.internal.domain.Disk;
import org.vmgrid.pilot.internal.domain.DomainPlan;
import org.vmgrid.pilot.internal.domain.DomainType;
import org.vmgrid.pilot.internal.domain.DomainXmlEncoder;
import org.vmgrid.pilot.internal.files.FileTrees;
import org.vmgrid.pilot.internal.golden.Golden;
import org.vmgrid.pilot.internal.golden.Goldens;
import org.vmgrid.pilot.internal.jobdir.JobdirDisks;
import org.vmgrid.pilot.internal.jobdir.LocalJobDirectory;
import org.vmgrid.pilot.internal.libvirt.Hypervisor;
import org.vmgrid.pilot.internal.text.Printable;

/**
 * Runs jobs: slot, image, overlay and context, domain, watch, and clean-up that always happens.
 * Every job ends in a definite state (exit code, or failure kind and reason) and leaves no domain
 * and no file of its own behind; an accounting record is appended for each.
 */
public final class JobRunner implements VmPilot {

    private final JobRunnerParts parts;
    private final Hypervisor hv;
    private final Clock clock;
    private final Optional<Goldens> goldens;
    private final Map<String, Control> controls = new ConcurrentHashMap<>();

    /** A runner whose VMs all boot. */
    public JobRunner(JobRunnerParts parts, Hypervisor hv, Clock clock) {
        this(parts, hv, clock, Optional.empty());
    }

    /** @param goldens where VMs of guest contract 2 images are restored from, when there is a golden */
    public JobRunner(JobRunnerParts parts, Hypervisor hv, Clock clock, Optional<Goldens> goldens) {
        this.parts = parts;
        this.hv = hv;
        this.clock = clock;
        this.goldens = goldens;
    }

    @Override
    public void cancel(String jobId) {
        Control c = controls.get(jobId);
        if (c != null) {
            c.cancel();
        }
    }

    /**
     * A running job's cancel flag and thread. Until its VM runs a cancel also interrupts the thread
     * (waiting for a slot, a download or a tool); from then on the watch sees the flag, and no
     * interrupt may hit what the thread does next (an interrupted write closes a socket or a file
     * channel: the caller's result, the accounting record).
     */
    private static final class Control {
        final AtomicBoolean cancelled = new AtomicBoolean();
        private final Thread thread = Thread.currentThread();
        private boolean interruptible = true;

        synchronized void cancel() {
            cancelled.set(true);
            if (interruptible) {
                thread.interrupt();
            }
        }

        /** Called by the job's own thread: no interrupt from now on, and none left pending. */
        synchronized void uninterruptible() {
            interruptible = false;
            Thread.interrupted();
        }
    }

    @Override
    public JobOutcome run(PilotJob job, Optional<JobDirectory> jobdir, OutputStream stdout, OutputStream stderr,
            Consumer<JobOutcome> onResult) {
        Instant start = clock.instant();
        Control control = new Control();
        AtomicBoolean cancelled = control.cancelled;
        ResultTeller told = new ResultTeller(job, start, onResult);
        if (controls.putIfAbsent(job.jobId(), control) != null) {
            return told.last(finish(job, start, failed(FailureKind.HOST, "job " + job.jobId() + " is already running here"),
                    "", new StartRecord()));
        }
        DomainType type = parts.domainType();
        Watch.Result result;
        StartRecord rec = new StartRecord();
        try {
            boolean runAsJobUser = runAs(job);
            Optional<JobDirectory> disksFrom = onDisks(job, jobdir, notes(stderr));
            if (disksFrom.isPresent()) {
                SeedUserData.check(job.jobId(), job.vm().userData());
            }
            try (SlotLimiter.Slot slot = parts.slots().acquire(job.jobId(), parts.slotWait());
                    ImageLease image = parts.cache().lease(job.vm().image())) {
                JobFiles files = new JobFiles(parts.stateDir().resolve(job.jobId()), job.workdir());
                Optional<Watch.Result> warm = Optional.empty();
                Optional<Golden> golden = golden(job, type, slot.index(), rec);
                if (golden.isPresent()) {
                    warm = runRestored(job, files, image, type, golden.get(), runAsJobUser, control, stdout, stderr, rec,
                            told);
                }
                result = warm.isPresent() ? warm.get()
                        : runBooted(job, files, image, type, disksFrom, runAsJobUser, control, stdout, stderr, rec, told);
            }
        } catch (Exception e) {
            result = cancelled.get() ? failed(FailureKind.CANCELLED, "job " + job.jobId() + " was cancelled; "
                    + "nothing of it is left") : e instanceof PilotException p ? failed(p.kind(), p.getMessage())
                    : failed(FailureKind.HOST, "job " + job.jobId() + ": " + e);
        } finally {
            control.uninterruptible(); // a cancel's interrupt must not break the result or the accounting write
            controls.remove(job.jobId());
        }
        return told.last(finish(job, start, result, type.xmlName(), rec));
    }

    /**
     * The golden snapshot a job's VM is restored from, if it may be and there is one (else the
     * record says why the VM boots): only an image of guest contract 2 with its own guest agent, for a
     * job without user data (which cloud-init applies at boot) and without network, on a pilot that
     * keeps goldens.
     */
    private Optional<Golden> golden(PilotJob job, DomainType type, int slot, StartRecord rec) {
        if (job.vm().image().guestAgent() != GuestAgent.IMAGE) {
            rec.note = "a stock cloud-init image, whose guest agent the pilot delivers at boot, always boots";
        } else if (job.vm().image().guestContract() < 2) {
            rec.note = "the image speaks guest contract " + job.vm().image().guestContract() + ": it boots";
        } else if (!job.vm().userData().isEmpty()) {
            rec.note = "a job with user data always boots: cloud-init applies it at boot";
        } else if (goldens.isEmpty()) {
            rec.note = "this pilot keeps no golden snapshots (warm.start is off, or a pilot in the command's own process)";
        } else if (parts.plan().networkAllowed(job.vm().network())) {
            rec.note = "a guest with a network always boots";
        } else {
            try {
                Goldens.Lookup l = goldens.get().lookup(job, type, slot);
                rec.note = l.note();
                return l.golden();
            } catch (PilotException e) {
                rec.note = "no golden snapshot could be looked up (" + e.getMessage() + ")";
            }
        }
        return Optional.empty();
    }

    /**
     * A VM that boots: guest contract 1 (the job on the CONTEXT disk; for a stock cloud-init image the
     * job directory on disks, taken back before the result is told) or 2 (the job over the job port
     * once the guest says ready).
     */
    private Watch.Result runBooted(PilotJob job, JobFiles files, ImageLease image, DomainType type,
            Optional<JobDirectory> disksFrom, boolean runAsJobUser, Control control, OutputStream stdout, OutputStream stderr, StartRecord rec, ResultTeller told) throws Exception {
        String domain = DomainPlan.NAME_PREFIX + job.jobId();
        Watch.Result result;
        boolean ported = overJobPort(job);
        rec.kind = "cold";
        try {
            long t0 = System.nanoTime();
            if (ported) {
                preparePorted(job, files, Optional.empty(), image);
            } else {
                prepare(job, files, image, disksFrom);
            }
            rec.prepareSeconds = (System.nanoTime() - t0) / 1e9;
            control.uninterruptible();
            check(control.cancelled, job);
            try (GuestFiles guest = GuestFiles.open(files);
                    JobPortWriter port = ported ? JobPortWriter.create(files.jobPort()) : null) {
                sameWorkdir(job);
                Disk.BaseImage base = new Disk.BaseImage(image.base(), image.format());
                hv.define(new DomainXmlEncoder().encode(ported
                        ? parts.plan().planPorted(job, files, base, type, parts.pilotPid(), runAsJobUser, Optional.empty())
                        : parts.plan().plan(job, files, base, type, parts.pilotPid(), runAsJobUser)));
                long t1 = System.nanoTime();
                hv.start(domain);
                rec.vmStartSeconds = (System.nanoTime() - t1) / 1e9;
                rec.vmRunning = Optional.of(clock.instant());
                Runnable onReady = ported ? () -> port.send(message(job, false)) : () -> { };
                result = watch(job, domain, guest, control, stdout, stderr, rec, onReady);
            }
            if (disksFrom.isPresent() && result.exitCode().isPresent()) {
                hv.destroy(domain); // powered off already; nothing writes the disk while it is read
                result = takeBack(job, files, result, disksFrom.get(), notes(stderr));
            }
            told.first(result, type.xmlName());
            return result;
        } finally {
            cleanUp(domain, files, stderr);
        }
    }

    /**
     * A VM restored from a golden snapshot, with its own copy of the golden's disk, its own files and
     * the job's user; the job goes out at once. Empty when the golden could not be restored (the
     * record says why; the golden is removed): then the job boots instead.
     */
    private Optional<Watch.Result> runRestored(PilotJob job, JobFiles files, ImageLease image, DomainType type,
            Golden golden, boolean runAsJobUser, Control control, OutputStream stdout, OutputStream stderr,
            StartRecord rec, ResultTeller told) throws Exception {
        String domain = golden.restore().name();
        rec.kind = "warm";
        try {
            long t0 = System.nanoTime();
            try {
                preparePorted(job, files, Optional.of(golden.disk()), image);
            } catch (IOException e) {
                rec.note = goldens.orElseThrow().failedToRestore(golden, "its disk could not be copied: " + e.getMessage());
                rec.kind = "cold";
                return Optional.empty();
            }
            rec.prepareSeconds = (System.nanoTime() - t0) / 1e9;
            control.uninterruptible();
            check(control.cancelled, job);
            try (GuestFiles guest = GuestFiles.open(files); JobPortWriter port = JobPortWriter.create(files.jobPort())) {
                sameWorkdir(job);
                String xml = new DomainXmlEncoder().encode(parts.plan().planPorted(job, files,
                        new Disk.BaseImage(image.base(), image.format()), type, parts.pilotPid(), runAsJobUser,
                        Optional.of(golden.restore())));
                long t1 = System.nanoTime();
                try {
                    hv.restore(golden.state(), xml);
                } catch (PilotException e) {
                    rec.note = goldens.orElseThrow().failedToRestore(golden, e.getMessage());
                    rec.kind = "cold";
                    return Optional.empty();
                }
                rec.vmStartSeconds = (System.nanoTime() - t1) / 1e9;
                rec.vmRunning = Optional.of(clock.instant());
                port.send(message(job, true));
                Watch.Result result = watch(job, domain, guest, control, stdout, stderr, rec, () -> { });
                told.first(result, type.xmlName());
                return Optional.of(result);
            }
        } finally {
            cleanUp(domain, files, stderr);
        }
    }

    /** Watches the VM to its end; its caller tells the result before the teardown. */
    private Watch.Result watch(PilotJob job, String domain, GuestFiles guest, Control control, OutputStream stdout,
            OutputStream stderr, StartRecord rec, Runnable onReady) throws IOException, InterruptedException {
        Watch w = new Watch(hv, clock, domain, guest, parts.bootTimeout(), job.timeout(), parts.caps(), control.cancelled,
                onReady);
        Watch.Result r = keepConsoleOfFailedBoot(job, guest, ofImage(job, w.run(stdout, stderr)));
        rec.payloadStart = w.bootedAt();
        rec.guestEnd = w.endedAt();
        return r;
    }

    /**
     * Whether the job goes over the job port (guest contract 2): an image that speaks contract 2 with
     * its own guest agent. The agent the pilot delivers to a stock cloud-init image speaks contract 1.
     */
    static boolean overJobPort(PilotJob job) {
        return job.vm().image().guestContract() >= 2 && job.vm().image().guestAgent() == GuestAgent.IMAGE;
    }

    /** The job as it goes over the job port, with the host's time now. */
    private byte[] message(PilotJob job, boolean warm) {
        return JobContextScript.message(job, JobContextScript.sent(job, job.workdir().toString(),
                parts.plan().networkAllowed(job.vm().network()), clock.instant(), warm));
    }

    /** Tells a job's result to its listener once: as soon as it is final, else with the last outcome. */
    private final class ResultTeller {
        private final PilotJob job;
        private final Instant start;
        private final Consumer<JobOutcome> listener;
        private boolean told;

        ResultTeller(PilotJob job, Instant start, Consumer<JobOutcome> listener) {
            this.job = job;
            this.start = start;
            this.listener = listener;
        }

        void first(Watch.Result r, String hypervisor) {
            tell(new JobOutcome(job.jobId(), r.exitCode(), r.failure(), r.reason(), hypervisor, start, clock.instant(),
                    r.cpuSeconds()));
        }

        JobOutcome last(JobOutcome o) {
            tell(o);
            return o;
        }

        private void tell(JobOutcome o) {
            if (told) {
                return;
            }
            told = true;
            try {
                listener.accept(o);
            } catch (RuntimeException e) {
                // whoever waited for the result is gone; the clean-up and the accounting go on
            }
        }
    }

    /**
     * Whether libvirt is to run QEMU as the job's user: always where it can (a system libvirtd);
     * a libvirtd that runs QEMU as its own user (a session daemon) only serves jobs of that user.
     * Never as root.
     */
    private boolean runAs(PilotJob job) {
        if (job.user().isRoot()) {
            throw new PilotException(FailureKind.REFUSED, "job " + job.jobId() + ": a VM never runs as root; run the "
                    + "job as an unprivileged user");
        }
        if (parts.plan().outboundUnenforced(job.vm().network())) {
            throw new PilotException(FailureKind.HOST, "job " + job.jobId() + ": this worker node runs no guest with "
                    + "outbound network: pilot.properties sets no outbound.group, the group its firewall keeps off "
                    + "the node (see 'vmgrid pilot firewall'); run the job elsewhere or ask the site");
        }
        if (hv.runsGuestsAsAnyUser()) {
            return true;
        }
        if (job.user().uid() != parts.pilotUser().uid()) {
            throw new PilotException(FailureKind.HOST, "job " + job.jobId() + ": libvirt runs QEMU as its own user "
                    + "(a session libvirtd), not as the job's user " + job.user().name() + "; give the pilot service a "
                    + "system libvirtd (libvirt.uri = qemu:///system in pilot.properties)");
        }
        if (parts.plan().networkAllowed(job.vm().network())) {
            throw new PilotException(FailureKind.HOST, "job " + job.jobId() + ": libvirt runs QEMU as its own user (a "
                    + "session libvirtd), so an outbound guest would not run with the outbound group the node's "
                    + "firewall keys on; use a system libvirtd (libvirt.uri = qemu:///system in pilot.properties)");
        }
        return false;
    }

    /** The job directory is checked again right before it is handed to libvirt (see {@link Workdir}). */
    private static void sameWorkdir(PilotJob job) {
        Path now = Workdir.check(job.workdir(), job.user());
        if (!now.equals(job.workdir())) {
            throw new PilotException(FailureKind.REFUSED, "job " + job.jobId() + ": --workdir "
                    + Printable.escape(job.workdir().toString()) + " now leads to " + Printable.escape(now.toString())
                    + "; it changed after the job was accepted, so nothing is shared");
        }
    }

    /**
     * The job's own directory: private (0700) while its files are made, all of them 0600; then
     * searchable (0711) so that QEMU, running as the job's user, reaches the files libvirt hands it.
     */
    private void prepare(PilotJob job, JobFiles files, ImageLease image, Optional<JobDirectory> disksFrom)
            throws IOException {
        createDir(job, files);
        parts.overlays().create(image.base(), image.format(), files.overlay());
        boolean network = parts.plan().networkAllowed(job.vm().network());
        ContextImages iso = parts.contextImages();
        iso.writeContext(JobContextScript.of(job, job.workdir().toString(), network), files.contextIso());
        iso.writeCidata(job, files.cidataIso());
        if (disksFrom.isPresent()) {
            JobdirDisks disks = new JobdirDisks(parts.caps().jobdirBytes());
            disks.writeIn(job.jobId(), disksFrom.get(), files.jobdirIn());
            disks.createOut(files.jobdirOut());
            outputFiles(files, files.contextIso(), files.cidataIso(), files.jobdirIn(), files.jobdirOut());
        } else {
            outputFiles(files, files.contextIso(), files.cidataIso());
        }
    }

    /**
     * The files of a guest contract 2 VM: no context disks (the job goes over the job port, whose
     * FIFOs {@link JobPortWriter} makes), but the {@code cidata} disk when the job brings user data
     * (then the VM boots, so that cloud-init applies it at boot); the disk a new overlay on the cached
     * image, or a private copy of a golden's disk (an overlay on the same image) for a restore.
     */
    private void preparePorted(PilotJob job, JobFiles files, Optional<Path> goldenDisk, ImageLease image)
            throws IOException {
        message(job, false); // a job too large to send is refused before anything starts
        createDir(job, files);
        if (goldenDisk.isPresent()) {
            Files.copy(goldenDisk.get(), files.overlay());
        } else {
            parts.overlays().create(image.base(), image.format(), files.overlay());
        }
        if (DomainPlan.cidataOnPortedBoot(job) && goldenDisk.isEmpty()) {
            parts.contextImages().writeCidata(job, files.cidataIso());
            outputFiles(files, files.cidataIso());
        } else {
            outputFiles(files);
        }
    }

    /** The job's own directory, private, with the job's record in it from the start (see {@link Reaper}). */
    private void createDir(PilotJob job, JobFiles files) throws IOException {
        Files.createDirectories(files.dir().getParent());
        Files.createDirectory(files.dir());
        Files.setPosixFilePermissions(files.dir(), PosixFilePermissions.fromString("rwx------"));
        JobRecord.of(job, clock.instant(), parts.pilotPid(), parts.domainType().xmlName()).writeTo(files.dir()); // for the Reaper, if this pilot dies
        if (!Files.isDirectory(job.workdir())) {
            throw new PilotException(FailureKind.HOST, "job " + job.jobId() + ": workdir " + job.workdir()
                    + " is not a directory; create it before running the job");
        }
    }

    /** The output files (0600), the job's other files 0600, and the directory searchable. */
    private static void outputFiles(JobFiles files, Path... more) throws IOException {
        for (Path p : new Path[] {files.stdout(), files.stderr(), files.status(), files.console()}) {
            Files.write(p, new byte[0]);
        }
        List<Path> all = new java.util.ArrayList<>(List.of(files.overlay(), files.stdout(), files.stderr(),
                files.status(), files.console()));
        all.addAll(List.of(more));
        for (Path p : all) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }
        Files.setPosixFilePermissions(files.dir(), PosixFilePermissions.fromString("rwx--x--x"));
    }

    /**
     * Who packs and unpacks the job's directory when it travels on disks (a stock cloud-init image,
     * whose agent the pilot delivers): the job's user, never this process with rights of its own.
     * That is the caller's {@code jobdir} (the pilot service's client, run as the job's user), or
     * this process itself when it runs as the job's user; otherwise the job is refused. Empty when
     * the job directory is shared.
     */
    private Optional<JobDirectory> onDisks(PilotJob job, Optional<JobDirectory> jobdir, Consumer<String> notes) {
        if (job.vm().image().guestAgent() != GuestAgent.CLOUD_INIT) {
            return Optional.empty();
        }
        if (jobdir.isPresent()) {
            return jobdir;
        }
        if (job.user().uid() != parts.pilotUser().uid()) {
            throw new PilotException(FailureKind.REFUSED, "job " + job.jobId() + ": image " + job.vm().image().uuid()
                    + " is a stock cloud-init image, whose job directory travels on disks that the job's user packs "
                    + "and unpacks; this client of the pilot service does not offer that: run the job with "
                    + "'vmgrid pilot run --service' of this installation, or without --service as its user");
        }
        return Optional.of(new LocalJobDirectory(job.workdir(), notes));
    }

    /**
     * The files a disk guest returned, written into the job directory. When that fails the job fails
     * with that reason (which names the payload's exit code): its files did not all come back.
     */
    private Watch.Result takeBack(PilotJob job, JobFiles files, Watch.Result r, JobDirectory dir,
            Consumer<String> notes) {
        try (FileChannel out = FileChannel.open(files.jobdirOut(), StandardOpenOption.READ)) {
            new JobdirDisks(parts.caps().jobdirBytes()).takeBack(job.jobId(), out, dir, notes);
            return r;
        } catch (PilotException e) {
            return new Watch.Result(Optional.empty(), Optional.of(e.kind()), e.getMessage() + " (the payload exited "
                    + r.exitCode().orElseThrow() + ")", r.cpuSeconds());
        } catch (IOException e) {
            return new Watch.Result(Optional.empty(), Optional.of(FailureKind.HOST), "job " + job.jobId()
                    + ": cannot read the guest's jobdir-out disk: " + e + " (the payload exited "
                    + r.exitCode().orElseThrow() + ")", r.cpuSeconds());
        }
    }

    /** Notes about what was left out of the job directory either way, on the job's stderr. */
    private static Consumer<String> notes(OutputStream stderr) {
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        return note -> err.println("vmgrid: note: " + Printable.escape(note));
    }

    /**
     * A guest that did not start or run the payload: the reason names its image (the job is named by
     * whoever tells the reason: the record, the client's line).
     */
    private static Watch.Result ofImage(PilotJob job, Watch.Result r) {
        if (r.failure().orElse(null) != FailureKind.BOOT) {
            return r;
        }
        var image = job.vm().image();
        return new Watch.Result(r.exitCode(), r.failure(), "image " + image.uuid() + " ('"
                + Printable.escape(image.title()) + "' version " + Printable.escape(image.version()) + "): " + r.reason(),
                r.cpuSeconds());
    }

    /**
     * A guest that did not run its payload to the end leaves its console log (kernel and init, up to
     * the console cap) in {@code state.dir/.console/<job>.log}, readable by the pilot only, for the
     * site to diagnose; everything else of the job goes.
     */
    private Watch.Result keepConsoleOfFailedBoot(PilotJob job, GuestFiles guest, Watch.Result r) {
        FailureKind kind = r.failure().orElse(null);
        if (kind != FailureKind.BOOT && kind != FailureKind.TIMEOUT && kind != FailureKind.LIMIT) {
            return r;
        }
        try {
            Path dir = Files.createDirectories(parts.stateDir().resolve(".console"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Path kept = dir.resolve(job.jobId() + ".log");
            try (FileChannel to = FileChannel.open(kept, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                long n = Math.min(guest.console.size(), parts.caps().consoleBytes());
                for (long done = 0; done < n; ) {
                    done += guest.console.transferTo(done, n - done, to);
                }
            }
            return new Watch.Result(r.exitCode(), r.failure(), r.reason() + " (console log: " + kept + ")", r.cpuSeconds());
        } catch (IOException e) {
            return r;
        }
    }

    private void cleanUp(String domain, JobFiles files, OutputStream stderr) {
        try {
            hv.destroy(domain);
            hv.undefine(domain);
        } catch (PilotException e) {
            new PrintStream(stderr, true, StandardCharsets.UTF_8).println("vmgrid: warning: " + e.getMessage());
        }
        FileTrees.deleteQuietly(files.dir());
    }

    private static void check(AtomicBoolean cancelled, PilotJob job) {
        if (cancelled.get()) {
            throw new PilotException(FailureKind.CANCELLED, "job " + job.jobId() + " was cancelled");
        }
    }

    private static Watch.Result failed(FailureKind kind, String reason) {
        return new Watch.Result(Optional.empty(), Optional.of(kind), reason, 0);
    }

    private JobOutcome finish(PilotJob job, Instant start, Watch.Result r, String hypervisor, StartRecord rec) {
        JobOutcome o = new JobOutcome(job.jobId(), r.exitCode(), r.failure(), r.reason(), hypervisor, start,
                clock.instant(), r.cpuSeconds());
        try {
            parts.accounting().append(o, job, rec);
        } catch (IOException e) {
            return new JobOutcome(o.jobId(), o.exitCode(), o.failure(), (o.reason() + " (accounting record not written: "
                    + e.getMessage() + ")").strip(), o.hypervisor(), o.start(), o.end(), o.cpuSeconds());
        }
        return o;
    }

    /** The run timeout default when a caller gives none. */
    public static Duration defaultTimeout() {
        return Duration.ofHours(1);
    }
}
