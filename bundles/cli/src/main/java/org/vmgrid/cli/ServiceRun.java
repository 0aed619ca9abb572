package org.vmgrid.cli;

import java.io.PrintWriter;
import java.util.Optional;
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
            PilotClient.Result r = client.runCancellingOnShutdown(request, System.out, System.err, result -> {
                System.out.flush();
                if (result.failure().isPresent()) {
                    String job = result.jobId().equals("-") ? "" : "job " + result.jobId() + ": ";
                    err.println("vmgrid pilot run: " + job + result.reason());
                }
            });
            return r.exitCode().orElseGet(() -> PilotCommand.Run.exitCode(r.failure().orElseThrow()));
        } catch (PilotException e) {
            err.println("vmgrid pilot run: " + e.getMessage());
            return PilotCommand.Run.exitCode(e.kind());
        }
    }
}
