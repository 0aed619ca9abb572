package org.vmgrid.pilot.internal.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.vmgrid.decision.Asker;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.LocalJobs;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.PilotRequest;
import org.vmgrid.pilot.VmPilot;

/**
 * The resident pilot's unix socket: one job per connection ({@link Frames}). The caller is known by
 * the socket's peer credentials: the job's working directory must be theirs (root may name any),
 * so nobody can have another user's files shared into a VM. The site's decision answers the request
 * ({@link LocalJobs}), exactly as on the command line. The result goes back as soon as it is final; the VM's teardown goes on after it, still
 * holding the job's slot. A client that goes away cancels its job.
 */
public final class PilotSocketServer implements AutoCloseable {

    /** How long a client may take to send its request. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How many jobs may be connected at once by default. */
    public static final int DEFAULT_MAX_CLIENTS = 64;
    /** How long a stop waits for the cancelled jobs' VMs to be gone. */
    private static final int STOP_SECONDS = 15;

    private final Path socket;
    private final VmPilot pilot;
    private final SiteDecision decision;
    private final PrintStream log;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Semaphore clients;
    private final int maxClients;
    private final ExecutorService jobs = Executors.newCachedThreadPool(r -> daemon(r, "vmgrid-pilot-job"));
    private final ScheduledExecutorService guard = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "vmgrid-pilot-request-guard"));

    /**
     * Binds the socket (replacing a stale one of a crashed service, never a live one), mode 0666:
     * who may run VM jobs is decided by the permissions of the socket's directory.
     *
     * @param log where one line per job goes (the service's standard error)
     * @throws PilotException kind HOST when the socket cannot be bound
     */
    public PilotSocketServer(Path socket, VmPilot pilot, SiteDecision decision, PrintStream log) {
        this(socket, pilot, decision, log, DEFAULT_MAX_CLIENTS);
    }

    /**
     * @param maxClients how many jobs may be connected at once, running or waiting for a slot; one
     *     more is told the service is busy (exit 79) instead of holding a thread of the service
     */
    public PilotSocketServer(Path socket, VmPilot pilot, SiteDecision decision, PrintStream log, int maxClients) {
        this.clients = new Semaphore(maxClients);
        this.maxClients = maxClients;
        this.socket = socket.toAbsolutePath();
        this.pilot = pilot;
        this.decision = decision;
        this.log = log;
        try {
            Files.createDirectories(this.socket.getParent());
            removeStale(this.socket);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(this.socket));
            Files.setPosixFilePermissions(this.socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            throw new PilotException(FailureKind.HOST, "cannot listen on unix socket " + this.socket + ": " + e.getMessage()
                    + "; check that its directory is writable and no other pilot service uses it", e);
        }
        acceptor = daemon(this::acceptLoop, "vmgrid-pilot-accept");
        acceptor.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void removeStale(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
        } catch (IOException e) {
            Files.delete(socket);
            return;
        }
        throw new IOException("another pilot service is listening there; stop it or configure another service.socket");
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                if (!clients.tryAcquire()) {
                    jobs.execute(() -> busy(client));
                    continue;
                }
                jobs.execute(() -> {
                    try {
                        serve(client);
                    } finally {
                        clients.release();
                    }
                });
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // one failed accept must not stop the service
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            String peer = peer(client);
            InputStream in = ChannelStreams.in(client);
            FrameSink sink = new FrameSink(ChannelStreams.out(client));
            ScheduledFuture<?> deadline = guard.schedule(() -> closeQuietly(client), REQUEST_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
            PilotJob job;
            try {
                Optional<Frames.Frame> f = Frames.read(in);
                deadline.cancel(false);
                if (f.isEmpty() || f.get().type() != Frames.REQUEST) {
                    throw new IOException("the first frame must be a request");
                }
                job = admit(Frames.request(f.get().body()), peer);
            } catch (IOException e) {
                sink.ending("-", FailureKind.REFUSED, "the pilot service could not read the request: " + e.getMessage());
                return;
            } catch (PilotException e) {
                sink.ending("-", e.kind(), e.getMessage());
                log.println("vmgrid pilot service: refused a job of " + peer + ": " + e.getMessage());
                return;
            }
            run(job, peer, in, sink);
        } catch (IOException e) {
            // the client went away before its job began
        }
    }

    private void busy(SocketChannel client) {
        try (client) {
            new FrameSink(ChannelStreams.out(client)).ending("-", FailureKind.HOST, "the pilot service at " + socket
                    + " is busy: " + maxClients + " jobs are connected (running or waiting for a VM slot); try again");
        } catch (IOException e) {
            // gone already
        }
    }

    private void run(PilotJob job, String peer, InputStream in, FrameSink sink) {
        running.add(job.jobId());
        try {
            runAdmitted(job, peer, in, sink);
        } finally {
            running.remove(job.jobId());
        }
    }

    private void runAdmitted(PilotJob job, String peer, InputStream in, FrameSink sink) {
        AtomicBoolean ended = new AtomicBoolean();
        Thread watcher = daemon(() -> {
            try {
                while (Frames.read(in).isPresent()) {
                    // a client sends nothing after its request
                }
            } catch (IOException e) {
                // gone as well
            }
            if (!ended.get()) {
                pilot.cancel(job.jobId());
            }
        }, "vmgrid-pilot-client-" + job.jobId());
        watcher.start();
        log.println("vmgrid pilot service: job " + job.jobId() + " of " + peer + ": image "
                + job.vm().image().uuid() + ", workdir " + job.workdir());
        JobOutcome o = pilot.run(job, sink.stream(Frames.STDOUT), sink.stream(Frames.STDERR), r -> {
            ended.set(true);
            if (r.exitCode().isPresent()) {
                sink.exit(r.jobId(), r.exitCode().get());
            } else {
                sink.ending(r.jobId(), r.failure().orElseThrow(), r.reason());
            }
            sink.close();
        });
        log.println("vmgrid pilot service: job " + job.jobId() + " of " + peer + " ended: "
                + o.exitCode().map(c -> "exit " + c + (o.reason().isEmpty() ? "" : "; " + o.reason()))
                        .orElseGet(() -> o.failure().orElseThrow() + ": " + o.reason()));
    }

    /** The request as a job of this site, for this peer. */
    private PilotJob admit(PilotRequest r, String peer) throws IOException {
        Path real;
        try {
            real = r.workdir().toRealPath();
        } catch (IOException e) {
            throw new PilotException(FailureKind.REFUSED, "--workdir " + r.workdir() + " does not exist; create it first");
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new PilotException(FailureKind.REFUSED, "--workdir " + r.workdir() + " is not a directory");
        }
        String owner = Files.getOwner(real, LinkOption.NOFOLLOW_LINKS).getName();
        if (!peer.equals("root") && !peer.equals(owner)) {
            throw new PilotException(FailureKind.REFUSED, "--workdir " + real + " belongs to " + owner + ", not to "
                    + peer + "; a job may only share its own directory into its VM");
        }
        return LocalJobs.prepare(decision, Asker.localAccount(peer), r.image(), r.memoryMiB(), r.cpus(), r.network(), real,
                r.timeout(), r.argv(), r.environment()).forUser(peer);
    }

    private static String peer(SocketChannel client) throws IOException {
        UnixDomainPrincipal p = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return p.user().getName();
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /**
     * Stops taking jobs, cancels the running ones (their clients hear CANCELLED) and waits up to
     * {@value #STOP_SECONDS} s for their VMs to be gone, then removes the socket.
     */
    @Override
    public void close() {
        try {
            server.close();
            acceptor.interrupt();
            acceptor.join(2000);
            running.forEach(pilot::cancel);
            jobs.shutdown();
            if (!jobs.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS)) {
                log.println("vmgrid pilot service: jobs " + running + " did not end within " + STOP_SECONDS
                        + " s of the stop; the next start reaps their VMs");
            }
            guard.shutdownNow();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new PilotException(FailureKind.HOST, "cannot remove unix socket " + socket + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One connection's outgoing frames, written by the relay threads and the result: serialised,
     * and dropped once the client is gone or the result is sent (warnings of the teardown then go
     * to the service's log instead).
     */
    private final class FrameSink {
        private final OutputStream out;
        private boolean closed;

        FrameSink(OutputStream out) {
            this.out = out;
        }

        synchronized void frame(byte type, byte[] b, int off, int len) {
            if (closed) {
                if (type == Frames.STDERR) {
                    log.write(b, off, len);
                }
                return;
            }
            try {
                Frames.write(out, type, b, off, len);
            } catch (IOException e) {
                closed = true;
            }
        }

        void exit(String jobId, int code) {
            byte[] b = Frames.exit(jobId, code);
            frame(Frames.EXIT, b, 0, b.length);
        }

        void ending(String jobId, FailureKind kind, String reason) {
            byte[] b = Frames.failure(jobId, kind, reason);
            frame(Frames.FAILURE, b, 0, b.length);
        }

        synchronized void close() {
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                // gone
            }
        }

        OutputStream stream(byte type) {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    for (int done = 0; done < len; ) {
                        int n = Math.min(len - done, 65536);
                        frame(type, b, off + done, n);
                        done += n;
                    }
                }
            };
        }
    }
}
