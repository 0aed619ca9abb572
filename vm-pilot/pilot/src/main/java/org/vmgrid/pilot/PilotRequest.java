package org.vmgrid.pilot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.vmgrid.api.NetworkMode;

/**
 * What {@code vmgrid pilot run} asks of the pilot service, before the service resolves the image
 * and holds it to the site's limits ({@link LocalJobs#prepare}). Every field is the caller's word.
 *
 * @param image image UUID or site alias
 * @param workdir the job's working directory, shared into the guest
 * @param memoryMiB guest memory, else the site's default
 * @param cpus guest CPUs, else the site's default
 * @param network guest network, else none
 * @param timeout run time limit once booted
 * @param argv the payload and its arguments
 * @param environment variables for the payload, in order
 * @param ceJob the CE's id of the grid job this is the payload of, for the accounting record
 *     ({@link PilotJob#ceJob}), where the caller knows it
 * @param offersJobdir whether the caller, running as the job's user, packs the job directory for a
 *     guest that takes it on disks and unpacks what comes back ({@link JobDirectory}), when asked
 */
public record PilotRequest(String image, Path workdir, OptionalInt memoryMiB, OptionalInt cpus,
        Optional<NetworkMode> network, Duration timeout, List<String> argv, Map<String, String> environment,
        Optional<String> ceJob, boolean offersJobdir) {

    /** A request that offers no job directory archive. */
    public PilotRequest(String image, Path workdir, OptionalInt memoryMiB, OptionalInt cpus,
            Optional<NetworkMode> network, Duration timeout, List<String> argv, Map<String, String> environment,
            Optional<String> ceJob) {
        this(image, workdir, memoryMiB, cpus, network, timeout, argv, environment, ceJob, false);
    }

    /** A request that names no CE job. */
    public PilotRequest(String image, Path workdir, OptionalInt memoryMiB, OptionalInt cpus,
            Optional<NetworkMode> network, Duration timeout, List<String> argv, Map<String, String> environment) {
        this(image, workdir, memoryMiB, cpus, network, timeout, argv, environment, Optional.empty(), false);
    }

    public PilotRequest {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(workdir, "workdir");
        Objects.requireNonNull(memoryMiB, "memoryMiB");
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(ceJob, "ceJob");
        argv = List.copyOf(argv);
        environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
    }
}
