package org.vmgrid.pilot.internal.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vmgrid.config.PilotSection;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.pilot.BatchAllocation;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobDirectory;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.LocalJobs;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.PilotRequest;
import org.vmgrid.pilot.VmPilot;
import org.vmgrid.pilot.internal.job.AccountingLog;
import org.vmgrid.pilot.internal.job.RefusedJob;
import org.vmgrid.pilot.internal.jobdir.StreamedJobDirectory;
import org.vmgrid.pilot.internal.text.Printable;
import org.vmgrid.unixsocket.Connection;
import org.vmgrid.unixsocket.UnixSocketService;

/**
 * The resident pilot's jobs on its unix socket, one per connection ({@link Frames}): the request
 * must come within {@value #REQUEST_SECONDS} s; the {@link CallerPolicy} says as whom the job runs
 * and what it may share; the site's decision answers the request ({@link LocalJobs}), exactly as on
 * the command line. The result goes back as soon
 * as it is final; the VM's teardown goes on after it, still holding the job's slot, and never
 * waits on the client. A client that goes away cancels its job. The socket itself, the clients'
 * credentials and the connection limits are {@link UnixSocketService}'s.
 */
public final class PilotSocketServer implements AutoCloseable {

    /** How long a client may take to send its request. */
    static final int REQUEST_SECONDS = 10;
    /** How long a stop waits for the cancelled jobs' VMs to be gone. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);
    /** How much of a job's output may wait for a slow client before the relay waits for it. */
    private static final long OUTBOX_BYTES = 1 << 20;

    private final VmPilot pilot;
    private final SiteDecision decision;
    private final CallerPolicy policy;
    private final PrintStream log;
    private final AccountingLog accounting;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final UnixSocketService service;

    /**
     * Binds the socket (replacing a stale one of a crashed service, never a live one), mode 0666:
     * who may run VM jobs is decided by the permissions of the socket's directory.
     *
     * @param connections how many clients at once, in all and per user
     * @param log where one line per job goes (the service's standard error)
     * @param accounting where a job refused at its start gets its record (the pilot writes the others')
     * @throws PilotException kind HOST when the socket cannot be bound
     */
    public PilotSocketServer(Path socket, VmPilot pilot, SiteDecision decision, CallerPolicy policy,
            PilotSection.ServiceLimits connections, PrintStream log, AccountingLog accounting) {
        this.pilot = pilot;
        this.decision = decision;
        this.policy = policy;
        this.log = log;
        this.accounting = accounting;
        try {
            this.service = new UnixSocketService(socket, PosixFilePermissions.fromString("rw-rw-rw-"), "pilot service",
                    new UnixSocketService.Limits(connections.maxConnections(), connections.maxConnectionsPerUser(),
                            OUTBOX_BYTES, FrameSink.DRAIN_GRACE), new UnixSocketService.Handler() {
                                @Override
                                public void serve(Connection c) throws IOException {
                                    PilotSocketServer.this.serve(c);
                                }

                                @Override
                                public byte[] refusal(String reason) {
                                    return FrameSink.failureFrame(FailureKind.HOST, reason);
                                }
                            });
        } catch (IOException e) {
            throw new PilotException(FailureKind.HOST, "cannot listen on unix socket " + socket.toAbsolutePath() + ": "
                    + e.getMessage() + "; check that its directory is writable and no other pilot service uses it", e);
        }
    }

    public Path socket() {
        return service.socket();
    }

    private void serve(Connection c) throws IOException {
        FrameSink sink = new FrameSink(c.out(), log);
        InputStream in = c.in();
        String who = c.peer().name();
        Connection.Deadline deadline = c.closeAfter(Duration.ofSeconds(REQUEST_SECONDS));
        PilotJob job;
        PilotRequest request = null;
        Optional<ClientArchive> archive = Optional.empty();
        try {
            Optional<Frames.Frame> f = Frames.read(in);
            deadline.cancel();
            if (f.isEmpty() || f.get().type() != Frames.REQUEST) {
                throw new IOException("the first frame must be a request");
            }
            request = Frames.request(f.get().body());
            job = admit(request, c);
            if (request.offersJobdir()) {
                archive = Optional.of(new ClientArchive(sink));
            }
        } catch (IOException e) {
            sink.ending("-", FailureKind.REFUSED, "the pilot service could not read the request: " + e.getMessage());
            return;
        } catch (PilotException e) {
            String id = "pilot-" + UUID.randomUUID();
            account(id, request, c, e); // before the client hears it: its job has its record when it ends
            sink.ending("-", e.kind(), e.getMessage());
            log.println("vmgrid pilot service: refused a job of " + who + ": " + Printable.escape(e.getMessage())
                    + " (accounted as job " + id + ")");
            return;
        }
        running.add(job.jobId());
        try {
            run(job, who, in, sink, archive);
        } finally {
            running.remove(job.jobId());
        }
    }

    /**
     * The accounting record of a job refused after its request was read: the batch system ran it and
     * it failed, so the site accounts for it with the reason.
     */
    private void account(String id, PilotRequest r, Connection c, PilotException refusal) {
        Optional<String> batchJob;
        try {
            batchJob = policy.allocation(c.peer()).batchJob();
        } catch (RuntimeException e) {
            batchJob = Optional.empty(); // why the caller's batch job is unknown may be why it was refused
        }
        String image = r.image().length() > 256 ? r.image().substring(0, 256) : r.image();
        try {
            accounting.appendRefused(new RefusedJob(id, image, c.peer().name(), c.peer().uid(), batchJob, r.memoryMiB(),
                    r.cpus(), r.ceJob().filter(j -> PilotJob.ceJobProblem(j).isEmpty()), Instant.now(), refusal.kind(),
                    refusal.getMessage()));
        } catch (IOException e) {
            log.println("vmgrid pilot service: cannot write the accounting record of refused job " + id + ": "
                    + e.getMessage() + "; check accounting.file in pilot.properties");
        }
    }

    /** The request as a job of this site, run as the caller (see {@link CallerPolicy}). */
    private PilotJob admit(PilotRequest r, Connection c) {
        JobUser user = policy.user(c.peer());
        Path real = policy.workdir(r.workdir(), user);
        PilotJob job = LocalJobs.prepare(decision, policy.asker(user), r.image(), r.memoryMiB(), r.cpus(),
                r.network(), real, r.timeout(), r.argv(), r.environment()).forUser(user);
        BatchAllocation allocation = policy.allocation(c.peer());
        allocation.hold(job, decision.limits().overheadMiB());
        return job.inBatchJob(allocation.batchJob()).ofCeJob(r.ceJob());
    }

    /**
     * Runs the job; a reader of the client's side sees its end (which cancels the job) and hands the
     * job directory's archive over when it was asked for; any other frame a client sends is ignored.
     */
    private void run(PilotJob job, String who, InputStream in, FrameSink sink, Optional<ClientArchive> archive) {
        AtomicBoolean ended = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            try {
                for (Optional<Frames.Frame> f = Frames.read(in); f.isPresent(); f = Frames.read(in)) {
                    if (f.get().type() == Frames.JOBDIR_IN && archive.isPresent()) {
                        archive.get().received(f.get().body());
                    }
                }
            } catch (IOException e) {
                // gone as well, or speaking out of turn: either ends the job
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            archive.ifPresent(ClientArchive::gone);
            if (!ended.get()) {
                pilot.cancel(job.jobId());
            }
        }, "vmgrid-pilot-client-" + job.jobId());
        watcher.setDaemon(true);
        watcher.start();
        log.println("vmgrid pilot service: job " + job.jobId() + " of " + who + ": image " + job.vm().image().uuid()
                + ", workdir " + Printable.escape(job.workdir().toString()));
        Optional<JobDirectory> jobdir = archive.map(a -> new StreamedJobDirectory(a,
                new java.io.BufferedOutputStream(sink.stream(Frames.JOBDIR_BACK), 1 << 16)));
        JobOutcome o = pilot.run(job, jobdir, sink.stream(Frames.STDOUT), sink.stream(Frames.STDERR), r -> {
            ended.set(true);
            if (r.exitCode().isPresent()) {
                sink.exit(r.jobId(), r.exitCode().get());
            } else {
                sink.ending(r.jobId(), r.failure().orElseThrow(), r.reason());
            }
        });
        log.println("vmgrid pilot service: job " + job.jobId() + " of " + who + " ended: "
                + o.exitCode().map(c -> "exit " + c + (o.reason().isEmpty() ? "" : "; " + Printable.escape(o.reason())))
                        .orElseGet(() -> o.failure().orElseThrow() + ": " + Printable.escape(o.reason())));
    }

    /**
     * Stops taking jobs, cancels the running ones (their clients hear CANCELLED) and waits up to
     * 15 s for their VMs to be gone, then removes the socket.
     */
    @Override
    public void close() {
        try {
            service.stopAccepting();
            running.forEach(pilot::cancel);
            if (!service.awaitIdle(STOP_WAIT)) {
                log.println("vmgrid pilot service: jobs " + running + " did not end within " + STOP_WAIT.toSeconds()
                        + " s of the stop; the next start reaps their VMs");
            }
            service.close();
        } catch (IOException e) {
            throw new PilotException(FailureKind.HOST, "cannot remove unix socket " + socket() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
