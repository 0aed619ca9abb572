package org.vmgrid.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.decision.Asker;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.pilot.BatchAllocation;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.LocalJobs;
import org.vmgrid.pilot.LocalPilot;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.PilotRequest;
import org.vmgrid.pilot.PoolAccounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vmgrid pilot run}: runs a payload in a fresh VM on this worker node. */
@Command(name = "pilot", description = "Run a job's payload inside a fresh VM of the image it asks for (worker node).",
        subcommands = {PilotCommand.Run.class, PilotFirewallCommand.class})
public final class PilotCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code vmgrid pilot run --image I --workdir DIR [...] -- CMD [ARGS...]}. */
    @Command(name = "run", description = {"Run CMD in a fresh VM of the image, with DIR shared as its working directory;"
            + " relay its stdout and stderr and exit with its exit code.",
        "vmgrid's own failures exit with: 75 image unusable or corrupt, 76 guest did not start the payload,"
            + " 77 --timeout passed, 80 a size cap of the site passed, 79 host could not run the VM, 64 bad request,"
            + " 78 bad configuration,"
            + " 143 cancelled (SIGTERM/SIGINT), with a one-line reason on stderr."})
    public static final class Run implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigDirOption dir;

        @Option(names = "--image", required = true, paramLabel = "UUID|ALIAS", description = "The image to boot.")
        String image;

        @Mixin

        CatalogOptions catalogOptions;

        @Option(names = "--workdir", required = true, paramLabel = "DIR", description = "The job's working directory, shared into the VM.")
        Path workdir;

        @Option(names = "--memory", paramLabel = "MiB", description = "Guest memory (default: the site's).")
        Integer memory;

        @Option(names = "--cpus", paramLabel = "N", description = "Guest CPUs (default: the site's).")
        Integer cpus;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600", description = "Run time limit once booted (default ${DEFAULT-VALUE}).")
        long timeout;

        @Option(names = "--network", paramLabel = "none|outbound", description = "Guest network (default none).")
        String network;

        @Option(names = "--env", paramLabel = "NAME=VALUE", description = "A variable for the payload's environment"
                + " (repeatable; NAME is [A-Za-z_][A-Za-z0-9_]*, VALUE any text).")
        List<String> env;

        @Option(names = "--user-data", paramLabel = "FILE", description = "cloud-init user data for the VM (UTF-8"
                + " text, within the site's limit): cloud-init applies it as it always does; on a stock cloud-init image"
                + " after the site's part that delivers the guest agent.")
        Path userData;

        @Option(names = "--service", paramLabel = "SOCKET", description = "Run the job through the pilot service of"
                + " 'vmgrid serve' listening on SOCKET (service.socket of its pilot.properties), which owns libvirt,"
                + " the image cache and the site's configuration; without it this process does all of that itself.")
        Path service;

        @Option(names = "--ce-job", paramLabel = "ID", description = "The computing element's id of the grid job this"
                + " payload belongs to (ARC: $GRID_GLOBAL_JOBID; CREAM: the job wrapper's __creamjobid), for the accounting record, which names it as ceJob.")
        String ceJob;

        @Parameters(arity = "1..*", paramLabel = "CMD", description = "The payload and its arguments (after --).")
        List<String> command;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (service != null) {
                if (userData != null) {
                    err.println("vmgrid pilot run: --user-data is not carried by the pilot service; run without "
                            + "--service to give a VM user data");
                    return ExitCodes.USAGE;
                }
                return ServiceRun.run(this, err);
            }
            try {
                SiteConfig config = config();
                CatalogSources sources = catalogOptions.sources(config);
                ImageCatalog catalog = new CatalogLoader(Clock.systemUTC()).load(sources);
                PilotRequest r = request();
                // the VO of this process's user when it is a pool account of one (accounts.properties)
                Asker asker = PoolAccounts.resolve(config.accounts(), new ProcessCommandRunner()).asker(JobUser.current());
                PilotJob job = LocalJobs.prepare(SiteDecision.of(config, catalog, Clock.systemUTC()), asker, r.image(),
                        r.memoryMiB(), r.cpus(), r.network(), userData(), r.workdir(), r.timeout(), r.argv(),
                        r.environment());
                // this process is the batch job's: its VM is held to the job's allocation
                BatchAllocation allocation = BatchAllocation.of(ProcessHandle.current().pid());
                allocation.hold(job, config.limits().overheadMemoryMiB());
                job = job.inBatchJob(allocation.batchJob()).ofCeJob(r.ceJob());
                try (LocalPilot pilot = LocalPilot.open(config, new ProcessCommandRunner())) {
                    return run(pilot, job, err);
                }
            } catch (ConfigException e) {
                err.println("vmgrid pilot run: " + e.getMessage());
                return ExitCodes.CONFIG;
            } catch (PilotException e) {
                err.println("vmgrid pilot run: " + e.getMessage());
                return exitCode(e.kind());
            }
        }

        /** What was asked, as the service takes it. */
        PilotRequest request() {
            Optional<NetworkMode> net = Optional.empty();
            if (network != null) {
                net = Optional.of(NetworkMode.fromKeyword(network).orElseThrow(() -> new PilotException(
                        FailureKind.REFUSED, "--network must be none or outbound, was " + network)));
            }
            if (ceJob != null) {
                PilotJob.ceJobProblem(ceJob).ifPresent(why -> {
                    throw new PilotException(FailureKind.REFUSED, "--ce-job: " + why);
                });
            }
            return new PilotRequest(image, workdir.toAbsolutePath().normalize(),
                    memory == null ? OptionalInt.empty() : OptionalInt.of(memory),
                    cpus == null ? OptionalInt.empty() : OptionalInt.of(cpus), net, Duration.ofSeconds(timeout), command,
                    LocalJobs.environment(env == null ? List.of() : env), Optional.ofNullable(ceJob), service != null);
        }

        /** The --user-data file's text, read as this process's user (the job's). */
        private Optional<String> userData() {
            if (userData == null) {
                return Optional.empty();
            }
            try {
                byte[] b = Files.readAllBytes(userData);
                CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
                return Optional.of(utf8.decode(ByteBuffer.wrap(b)).toString());
            } catch (CharacterCodingException e) {
                throw new PilotException(FailureKind.REFUSED, "--user-data " + userData + " is not UTF-8 text");
            } catch (IOException e) {
                throw new PilotException(FailureKind.REFUSED, "--user-data " + userData + " cannot be read: " + e.getMessage());
            }
        }

        /** Options that choose the site configuration, which the service has its own of. */
        Optional<String> localOnlyOption() {
            if (dir.configDir != null) {
                return Optional.of("--config-dir");
            }
            if (!catalogOptions.catalogs.isEmpty()) {
                return Optional.of("--catalog");
            }
            return catalogOptions.trustUnsigned ? Optional.of("--trust-unsigned") : Optional.empty();
        }

        private static int run(LocalPilot pilot, PilotJob job, PrintWriter err) {
            // the reason is printed before a SIGTERM's shutdown may end the process
            JobOutcome o = pilot.runCancellingOnShutdown(job, System.out, System.err, r -> {
                System.out.flush();
                if (r.failure().isPresent()) {
                    err.println("vmgrid pilot run: job " + job.jobId() + ": " + r.reason());
                }
            });
            return o.exitCode().orElseGet(() -> exitCode(o.failure().orElseThrow()));
        }

        private SiteConfig config() {
            Path d = dir.directory();
            return dir.isExplicit() || Files.isDirectory(d) ? SiteConfig.load(d) : SiteConfig.builtIn();
        }

        static int exitCode(FailureKind kind) {
            return switch (kind) {
                case IMAGE -> ExitCodes.VM_IMAGE;
                case BOOT -> ExitCodes.VM_BOOT;
                case TIMEOUT -> ExitCodes.VM_TIMEOUT;
                case LIMIT -> ExitCodes.VM_LIMIT;
                case CANCELLED -> 143;
                case REFUSED -> ExitCodes.USAGE;
                case HOST -> ExitCodes.VM_HOST;
            };
        }
    }
}
