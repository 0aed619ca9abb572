package org.vmgrid.pilot.it;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.LocalJobs;
import org.vmgrid.pilot.LocalPilot;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.decision.Asker;
import org.vmgrid.decision.SiteDecision;

/**
 * What {@code vmgrid pilot run} does, as a process of its own for the ITs (the CLI module depends
 * on this one, so its tests cannot start the CLI): {@code CONF_DIR IMAGE WORKDIR TIMEOUT [--env NAME=VALUE]... CMD...}.
 * Exits with the payload's code, 143 when cancelled by SIGTERM, else 200 + the failure kind's
 * ordinal, printing {@code FAILED <KIND>: <reason>} on stderr.
 */
public final class PilotDriver {

    private PilotDriver() {
    }

    public static void main(String[] args) {
        SiteConfig config = SiteConfig.load(Path.of(args[0]));
        int first = 4;
        List<String> env = new ArrayList<>();
        while (args[first].equals("--env")) {
            env.add(args[first + 1]);
            first += 2;
        }
        List<String> cmd = Arrays.asList(args).subList(first, args.length);
        int code;
        try {
            ImageCatalog catalog = new CatalogLoader(Clock.systemUTC()).load(CatalogSources.from(config.images()));
            PilotJob job = LocalJobs.prepare(SiteDecision.of(config, catalog, java.time.Clock.systemUTC()),
                    Asker.localAccount(System.getProperty("user.name")), args[1], OptionalInt.empty(), OptionalInt.empty(),
                    Optional.empty(), Path.of(args[2]), Duration.ofSeconds(Long.parseLong(args[3])), cmd, LocalJobs.environment(env));
            try (LocalPilot pilot = LocalPilot.open(config, new ProcessCommandRunner())) {
                JobOutcome o = pilot.runCancellingOnShutdown(job, System.out, System.err);
                code = o.exitCode().orElse(-1);
                if (o.failure().isPresent()) {
                    System.err.println("FAILED " + o.failure().get() + ": " + o.reason());
                    code = 200 + o.failure().get().ordinal();
                }
            }
        } catch (PilotException e) {
            System.err.println("FAILED " + e.kind() + ": " + e.getMessage());
            code = 200 + e.kind().ordinal();
        }
        System.out.flush();
        System.exit(code);
    }
}
