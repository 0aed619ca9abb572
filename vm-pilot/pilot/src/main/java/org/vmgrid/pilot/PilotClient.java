package org.vmgrid.pilot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.vmgrid.pilot.internal.service.ChannelStreams;
import org.vmgrid.pilot.internal.service.ClientJobdir;
import org.vmgrid.pilot.internal.service.Frames;

/**
 * Drives the resident pilot service of {@code vmgrid serve} (configured by {@code service.socket}
 * in {@code pilot.properties}) over its unix socket: one job per client. This is what
 * {@code vmgrid pilot run --service} uses on a worker node: the batch job needs no libvirt access
 * of its own, and pays no JVM-side start-up of the catalogue and libvirt. Run as the job's user, it
 * offers to pack the job directory for a guest that takes it on disks, and unpacks what the guest
 * returned ({@link Frames#OFFERS_JOBDIR}), so that the service never reads or writes it itself.
 */
public final class PilotClient implements AutoCloseable {

    /** How a job run through the service ended. */
    public record Result(String jobId, Optional<Integer> exitCode, Optional<FailureKind> failure, String reason) {
    }

    private final Path socket;
    private final SocketChannel channel;

    private PilotClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
    }

    /**
     * @throws PilotException kind HOST when nothing answers at {@code socket}
     */
    public static PilotClient connect(Path socket) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new PilotClient(socket, ch);
        } catch (IOException e) {
            throw new PilotException(FailureKind.HOST, "cannot reach the pilot service at " + socket + ": " + e.getMessage()
                    + "; check that 'vmgrid serve' runs on this node with service.socket = " + socket
                    + " in pilot.properties", e);
        }
    }

    /**
     * Sends the request and relays the payload's output until the job's result comes.
     *
     * @return the result; kind HOST when the service went away without one
     */
    public Result run(PilotRequest request, OutputStream stdout, OutputStream stderr) {
        OutputStream out = ChannelStreams.out(channel);
        InputStream in = ChannelStreams.in(channel);
        try {
            byte[] body = Frames.request(request);
            Frames.write(out, Frames.REQUEST, body, 0, body.length);
        } catch (IOException e) {
            // a service that refuses at once (busy) may have said why before closing: read that
            return ending(in).orElseGet(() -> lost("it closed the connection before taking the request ("
                    + e.getMessage() + ")"));
        }
        try (ClientJobdir jobdir = new ClientJobdir(request, out, stderr)) {
            while (true) {
                Optional<Frames.Frame> f = Frames.read(in);
                if (f.isEmpty()) {
                    return lost("it closed the connection before the job's result");
                }
                switch (f.get().type()) {
                    case Frames.JOBDIR_WANTED -> {
                        if (!request.offersJobdir()) {
                            return lost("it asked for the job directory's archive, which this request did not offer");
                        }
                        try {
                            jobdir.send(Frames.jobdirWanted(f.get()));
                        } catch (PilotException e) {
                            cancel();
                            return new Result("-", Optional.empty(), Optional.of(e.kind()), e.getMessage());
                        }
                    }
                    case Frames.JOBDIR_BACK -> {
                        if (!jobdir.receive(f.get().body())) {
                            return lost("it sent a returned job directory before asking for one");
                        }
                    }
                    case Frames.STDOUT -> {
                        stdout.write(f.get().body());
                        stdout.flush();
                    }
                    case Frames.STDERR -> {
                        stderr.write(f.get().body());
                        stderr.flush();
                    }
                    case Frames.EXIT, Frames.FAILURE -> {
                        return jobdir.unpack(Frames.ending(f.get()));
                    }
                    default -> {
                        return lost("it sent a frame of unknown type " + (f.get().type() & 0xff));
                    }
                }
            }
        } catch (IOException e) {
            return lost("the connection failed: " + e.getMessage());
        }
    }

    /** The service's last word if there is one left to read: its result, or nothing. */
    private static Optional<Result> ending(InputStream in) {
        try {
            Optional<Frames.Frame> f = Frames.read(in);
            if (f.isPresent() && (f.get().type() == Frames.EXIT || f.get().type() == Frames.FAILURE)) {
                return Optional.of(Frames.ending(f.get()));
            }
        } catch (IOException e) {
            // nothing readable left
        }
        return Optional.empty();
    }

    private Result lost(String what) {
        return new Result("-", Optional.empty(), Optional.of(FailureKind.HOST), "the pilot service at " + socket + ": "
                + what + "; see the service's log (vmgrid serve)");
    }

    /**
     * Runs like {@link #run}, and if this process is told to stop (SIGTERM, SIGINT) meanwhile,
     * cancels the job in the service and waits up to 9 s for the service's answer; {@code report}
     * sees the result before such a shutdown may end the process, so what it prints is not lost.
     */
    public Result runCancellingOnShutdown(PilotRequest request, OutputStream stdout, OutputStream stderr,
            Consumer<Result> report) {
        return CancelOnShutdown.run(this::cancel, () -> run(request, stdout, stderr), report);
    }

    /**
     * Asks the service to cancel the job (its VM is destroyed and its files removed); {@link #run}
     * then returns with the service's answer.
     */
    public void cancel() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            // the connection is gone, which cancels as well
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
