package org.vmgrid.pilot.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.vmgrid.pilot.PilotClient;
import org.vmgrid.pilot.PilotRequest;

/**
 * What {@code vmgrid pilot run --service} does, as a process of its own for the ITs:
 * {@code SOCKET IMAGE WORKDIR TIMEOUT CMD...}. Exits with the payload's code, else 200 + the
 * failure kind's ordinal, printing {@code FAILED <KIND>: <reason>} on stderr.
 */
public final class ClientDriver {

    private ClientDriver() {
    }

    public static void main(String[] args) {
        PilotRequest r = new PilotRequest(args[1], Path.of(args[2]), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty(), Duration.ofSeconds(Long.parseLong(args[3])),
                Arrays.asList(args).subList(4, args.length), Map.of());
        int code;
        try (PilotClient c = PilotClient.connect(Path.of(args[0]))) {
            PilotClient.Result res = c.run(r, System.out, System.err);
            code = res.exitCode().orElse(-1);
            if (res.failure().isPresent()) {
                System.err.println("FAILED " + res.failure().get() + ": " + res.reason());
                code = 200 + res.failure().get().ordinal();
            }
        }
        System.out.flush();
        System.exit(code);
    }
}
