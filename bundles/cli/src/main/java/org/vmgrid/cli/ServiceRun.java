package org.vmgrid.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.vmgrid.pilot.PilotClient;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotRequest;

/**
 * {@code vmgrid pilot run --service SOCKET}: the job runs in the resident pilot service; this
 * process sends the request, relays the output and exits with the job's code. SIGTERM or SIGINT
 * cancels the job in the service and waits (up to 9 s) for the service to say it is gone.
 */
final class ServiceRun {

    private ServiceRun() {
    }

    static int run(PilotCommand.Run options, PrintWriter err) {
        Optional<String> local = options.localOnlyOption();
        if (local.isPresent()) {
            err.println("vmgrid pilot run: " + local.get() + " cannot be used with --service: the service runs jobs with"
                    + " its own site configuration");
            return ExitCodes.USAGE;
        }
        PilotRequest request;
        try {
            request = options.request();
        } catch (PilotException e) {
            err.println("vmgrid pilot run: " + e.getMessage());
            return PilotCommand.Run.exitCode(e.kind());
        }
        try (PilotClient client = PilotClient.connect(options.service)) {
            CountDownLatch done = new CountDownLatch(1);
            Thread onShutdown = new Thread(() -> {
                client.cancel();
                try {
                    done.await(9, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "vmgrid-pilot-cancel");
            Runtime.getRuntime().addShutdownHook(onShutdown);
            PilotClient.Result r;
            try {
                r = client.run(request, System.out, System.err);
                System.out.flush();
                // before the latch: a SIGTERM's shutdown waits for it, then ends the process
                if (r.failure().isPresent()) {
                    err.println("vmgrid pilot run: " + (r.jobId().equals("-") ? "" : "job " + r.jobId() + ": ")
                            + r.reason());
                }
            } finally {
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(onShutdown);
                } catch (IllegalStateException e) {
                    // shutting down: the hook is running
                }
            }
            return r.exitCode().orElseGet(() -> PilotCommand.Run.exitCode(r.failure().orElseThrow()));
        } catch (PilotException e) {
            err.println("vmgrid pilot run: " + e.getMessage());
            return PilotCommand.Run.exitCode(e.kind());
        }
    }
}
