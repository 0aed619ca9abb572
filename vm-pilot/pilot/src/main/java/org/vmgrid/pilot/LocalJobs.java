package org.vmgrid.pilot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.config.LimitsSection;

/**
 * Turns what a person or a batch job asks on the worker node ({@code vmgrid pilot run}) into a
 * {@link PilotJob}: the image resolved through the trusted catalogue, memory, CPUs and network
 * defaulted and held to the site's limits.
 */
public final class LocalJobs {

    private LocalJobs() {
    }

    /**
     * @throws PilotException kind IMAGE when the image cannot be used, REFUSED when a value is
     *     outside the site's limits or the workdir is not a directory; the message says which and why
     */
    public static PilotJob prepare(LimitsSection limits, ImageCatalog catalog, String image, OptionalInt memoryMiB,
            OptionalInt cpus, Optional<NetworkMode> network, Path workdir, Duration timeout, List<String> argv) {
        ImageResolution r = catalog.resolve(image);
        ImageDescriptor d = r.image().orElseThrow(() -> new PilotException(FailureKind.IMAGE,
                "image '" + image.replaceAll("[^\\x20-\\x7e]", "?") + "' cannot be used: " + r.reason()));
        int mem = memoryMiB.orElse(limits.memoryDefaultMiB());
        if (mem < LimitsSection.MIN_MEMORY_MIB || mem > limits.memoryMaxMiB()) {
            throw refused("--memory " + mem + " MiB is outside this site's range " + LimitsSection.MIN_MEMORY_MIB + "-"
                    + limits.memoryMaxMiB() + " MiB");
        }
        int n = cpus.orElse(limits.cpusDefault());
        if (n < 1 || n > limits.cpusMax()) {
            throw refused("--cpus " + n + " is outside this site's range 1-" + limits.cpusMax());
        }
        NetworkMode net = network.orElse(NetworkMode.NONE);
        if (net == NetworkMode.OUTBOUND && limits.networkMax() != NetworkMode.OUTBOUND) {
            throw refused("--network outbound is not allowed on this site (limits.properties network.max = none)");
        }
        Path dir = workdir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw refused("--workdir " + dir + " is not a directory; create it first");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw refused("--timeout must be a positive number of seconds");
        }
        return new PilotJob("pilot-" + UUID.randomUUID(), new VmRequest(d, mem, n, net, ""), argv, Map.of(), dir,
                timeout);
    }

    private static PilotException refused(String why) {
        return new PilotException(FailureKind.REFUSED, why);
    }
}
