package org.vmgrid.pilot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;
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

    /** A variable name the payload's shell can use, as the guest contract requires. */
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private LocalJobs() {
    }

    /**
     * @throws PilotException kind IMAGE when the image cannot be used, REFUSED when a value is
     *     outside the site's limits or the workdir is not a directory; the message says which and why
     */
    public static PilotJob prepare(LimitsSection limits, ImageCatalog catalog, String image, OptionalInt memoryMiB,
            OptionalInt cpus, Optional<NetworkMode> network, Path workdir, Duration timeout, List<String> argv) {
        return prepare(limits, catalog, image, memoryMiB, cpus, network, workdir, timeout, argv, Map.of());
    }

    /**
     * As {@link #prepare(LimitsSection, ImageCatalog, String, OptionalInt, OptionalInt, Optional, Path, Duration, List)}
     * with variables for the payload's environment (see {@link #environment(List)}).
     */
    public static PilotJob prepare(LimitsSection limits, ImageCatalog catalog, String image, OptionalInt memoryMiB,
            OptionalInt cpus, Optional<NetworkMode> network, Path workdir, Duration timeout, List<String> argv,
            Map<String, String> environment) {
        ImageResolution r = catalog.resolve(image);
        ImageDescriptor d = r.image().orElseThrow(() -> new PilotException(FailureKind.IMAGE,
                "image '" + printable(image) + "' cannot be used: " + r.reason()));
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
        Path dir;
        try {
            dir = workdir.toRealPath();
        } catch (java.io.IOException e) {
            throw refused("--workdir " + printable(workdir.toString()) + " does not exist; create it first");
        }
        if (!Files.isDirectory(dir)) {
            throw refused("--workdir " + printable(dir.toString()) + " is not a directory; create it first");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw refused("--timeout must be a positive number of seconds");
        }
        return new PilotJob("pilot-" + UUID.randomUUID(), new VmRequest(d, mem, n, net, ""), argv, environment, dir,
                timeout);
    }

    /**
     * Parses {@code NAME=VALUE} assignments (as {@code --env} gives them) into the payload's
     * environment, in order. The value is any text (it travels base64-encoded); the name must be
     * {@code [A-Za-z_][A-Za-z0-9_]*} and given once.
     *
     * @throws PilotException kind REFUSED naming the assignment that is not one
     */
    public static Map<String, String> environment(List<String> assignments) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (eq < 0 || !ENV_NAME.matcher(name).matches()) {
                throw refused("--env '" + printable(name) + "' is not NAME=VALUE with NAME matching [A-Za-z_][A-Za-z0-9_]*");
            }
            if (env.putIfAbsent(name, a.substring(eq + 1)) != null) {
                throw refused("--env " + name + " is given twice; give each variable once");
            }
        }
        return env;
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 60 ? p.substring(0, 60) + "..." : p;
    }

    private static PilotException refused(String why) {
        return new PilotException(FailureKind.REFUSED, why);
    }
}
