package org.vmgrid.pilot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.decision.Asker;
import org.vmgrid.decision.Decision;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.decision.VmAsk;

/**
 * Turns what a person or a batch job asks on the worker node ({@code vmgrid pilot run}, directly
 * or through the pilot service) into a {@link PilotJob}, as the site's {@link SiteDecision} allows
 * it: the image usable in the trusted catalogue, memory, CPUs and network defaulted and held to the
 * site's limits, and the VO policy for an asker whose VO is known.
 */
public final class LocalJobs {

    /** A variable name the payload's shell can use, as the guest contract requires. */
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private LocalJobs() {
    }

    /**
     * @param asker who asks: on a worker node a {@linkplain Asker#localAccount local account}, whose grid
     *     VO (if any) the CE checked; an asker with a VO is held to the site's VO policy here too
     * @throws PilotException kind IMAGE when the image cannot be used, REFUSED when the site's decision
     *     refuses the request otherwise or the workdir is not a directory; the message says which and why
     */
    public static PilotJob prepare(SiteDecision decision, Asker asker, String image, OptionalInt memoryMiB,
            OptionalInt cpus, Optional<NetworkMode> network, Path workdir, Duration timeout, List<String> argv,
            Map<String, String> environment) {
        return prepare(decision, asker, image, memoryMiB, cpus, network, Optional.empty(), workdir, timeout, argv,
                environment);
    }

    /**
     * As {@link #prepare(SiteDecision, Asker, String, OptionalInt, OptionalInt, Optional, Path, Duration, List, Map)},
     * with the user's cloud-init user data ({@code --user-data}), held to the site's limits like the rest.
     */
    public static PilotJob prepare(SiteDecision decision, Asker asker, String image, OptionalInt memoryMiB,
            OptionalInt cpus, Optional<NetworkMode> network, Optional<String> userData, Path workdir, Duration timeout,
            List<String> argv, Map<String, String> environment) {
        if (!VmAsk.isImageRef(image)) {
            throw new PilotException(FailureKind.IMAGE, "image '" + printable(image) + "' cannot be used: it is neither "
                    + "an image UUID nor a site alias");
        }
        VmAsk ask = new VmAsk(image, asLong(memoryMiB), asLong(cpus), network, userData, VmAsk.Names.PILOT);
        Decision d = decision.decide(ask, asker);
        if (d instanceof Decision.Refused r) {
            throw new PilotException(r.why() == Decision.Refusal.IMAGE_NOT_USABLE ? FailureKind.IMAGE : FailureKind.REFUSED,
                    r.reason());
        }
        VmRequest vm = ((Decision.Allowed) d).vm();
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
        return new PilotJob("pilot-" + UUID.randomUUID(), vm, argv, environment, dir, timeout);
    }

    private static OptionalLong asLong(OptionalInt v) {
        return v.isPresent() ? OptionalLong.of(v.getAsInt()) : OptionalLong.empty();
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
