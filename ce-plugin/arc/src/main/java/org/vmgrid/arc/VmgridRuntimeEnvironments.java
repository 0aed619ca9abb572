package org.vmgrid.arc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.config.ImagesSection;

/**
 * vmgrid's runtime environments and how a job's use of them reads as a VM request: exactly one
 * {@value #IMAGE_PREFIX}{@code <alias or UUID>}, without options, and at most one {@value #OPTIONS}
 * with {@code memory=<MiB>}, {@code cpus=<n>}, {@code network=none|outbound}, each at most once.
 * Memory and CPUs not given there are the job's own {@code (memory)} and {@code (count)}; given in
 * both places they must agree. Without either, the VM has one CPU, as an ARC job has one slot
 * (A-REX counts one when a job names none), and the site's default memory.
 */
public final class VmgridRuntimeEnvironments {

    /** The prefix of the per-image runtime environments. */
    public static final String IMAGE_PREFIX = "VMGRID/IMAGE/";
    /** The runtime environment carrying a VM's options. */
    public static final String OPTIONS = "ENV/VMGRID";
    /** What the options look like, for messages. */
    public static final String EXAMPLE = "(runtimeenvironment=\"ENV/VMGRID\" \"memory=2048\" \"cpus=2\" \"network=none\")";

    private static final Pattern UUID_ANY_CASE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern WHOLE = Pattern.compile("[1-9][0-9]{0,6}");

    private VmgridRuntimeEnvironments() {
    }

    /** True for names vmgrid owns: {@code VMGRID/...} and {@code ENV/VMGRID}, in any case. */
    public static boolean isVmgrid(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.startsWith("VMGRID/") || upper.equals(OPTIONS);
    }

    /**
     * The job's VM request; empty when it asks for none of vmgrid's runtime environments.
     *
     * @throws ArcDescriptionException saying what to change, for a request vmgrid cannot read
     */
    public static Optional<ArcVmRequest> read(ArcJob job) {
        List<RuntimeEnvironmentRequest> images = new ArrayList<>();
        List<RuntimeEnvironmentRequest> options = new ArrayList<>();
        for (RuntimeEnvironmentRequest r : job.runtimeEnvironments()) {
            if (!isVmgrid(r.name())) {
                continue;
            }
            if (r.name().startsWith(IMAGE_PREFIX)) {
                images.add(r);
            } else if (r.name().equals(OPTIONS)) {
                options.add(r);
            } else if (r.name().toUpperCase(Locale.ROOT).startsWith(IMAGE_PREFIX) || r.name().equalsIgnoreCase(OPTIONS)) {
                throw new ArcDescriptionException("runtime environment " + quote(r.name()) + ": names are case-sensitive; "
                        + "write " + (r.name().equalsIgnoreCase(OPTIONS) ? OPTIONS : IMAGE_PREFIX + "<image>"));
            } else {
                throw new ArcDescriptionException("runtime environment " + quote(r.name()) + " is not one of vmgrid's; ask "
                        + "for an image with " + IMAGE_PREFIX + "<image> and for options with " + OPTIONS);
            }
        }
        if (images.isEmpty() && options.isEmpty()) {
            return Optional.empty();
        }
        if (images.size() != 1) {
            throw new ArcDescriptionException(images.isEmpty()
                    ? OPTIONS + " needs the image too: add (runtimeenvironment=\"" + IMAGE_PREFIX + "<image>\")"
                    : "the job asks for " + images.size() + " VM images (" + String.join(", ", images.stream()
                            .map(i -> i.name()).toList()) + "); a job runs in one VM: keep one " + IMAGE_PREFIX);
        }
        if (options.size() > 1) {
            throw new ArcDescriptionException(OPTIONS + " is asked for " + options.size() + " times; give its options once, "
                    + "such as " + EXAMPLE);
        }
        RuntimeEnvironmentRequest image = images.get(0);
        if (!image.options().isEmpty()) {
            throw new ArcDescriptionException(image.name() + " takes no options; give them to " + OPTIONS + ", such as "
                    + EXAMPLE);
        }
        String ref = imageRef(image.name().substring(IMAGE_PREFIX.length()), image.name());
        OptionalInt memory = OptionalInt.empty();
        OptionalInt cpus = OptionalInt.empty();
        Optional<NetworkMode> network = Optional.empty();
        Set<String> seen = new HashSet<>();
        for (String o : options.isEmpty() ? List.<String>of() : options.get(0).options()) {
            int eq = o.indexOf('=');
            String key = eq < 0 ? o : o.substring(0, eq);
            String value = eq < 0 ? "" : o.substring(eq + 1);
            if (!seen.add(key)) {
                throw new ArcDescriptionException(OPTIONS + " option " + key + " is given twice; give it once");
            }
            switch (key) {
                case "memory" -> memory = OptionalInt.of(whole(key, value, "MiB, such as memory=2048"));
                case "cpus" -> cpus = OptionalInt.of(whole(key, value, "CPUs, such as cpus=2"));
                case "network" -> network = Optional.of(NetworkMode.fromKeyword(value)
                        .filter(m -> m.keyword().equals(value)).orElseThrow(() -> new ArcDescriptionException(
                                OPTIONS + " option network must be none or outbound, is " + quote(value))));
                default -> throw new ArcDescriptionException(OPTIONS + " option " + quote(o) + " is not one vmgrid knows; "
                        + "it knows memory=<MiB>, cpus=<n> and network=none|outbound, such as " + EXAMPLE);
            }
        }
        memory = agree(memory, job.memoryMiB(), "memory", "(memory)");
        cpus = agree(cpus, job.slots(), "cpus", "(count)");
        if (cpus.isEmpty()) {
            cpus = OptionalInt.of(1); // A-REX's count of a job that names none; stage 0 reads the same
        }
        return Optional.of(new ArcVmRequest(ref, image.name(), memory, cpus, network));
    }

    private static OptionalInt agree(OptionalInt option, OptionalLong job, String key, String attribute) {
        if (job.isEmpty()) {
            return option;
        }
        if (job.getAsLong() < 1 || job.getAsLong() > 9_999_999) {
            throw new ArcDescriptionException("the job's " + attribute + " of " + job.getAsLong() + " cannot size a VM; "
                    + "give " + OPTIONS + " " + key + "=<n> instead");
        }
        if (option.isPresent() && option.getAsInt() != job.getAsLong()) {
            throw new ArcDescriptionException(OPTIONS + " " + key + "=" + option.getAsInt() + " and the job's " + attribute
                    + " of " + job.getAsLong() + " disagree; give one of them");
        }
        return OptionalInt.of((int) job.getAsLong());
    }

    private static int whole(String key, String value, String example) {
        if (!WHOLE.matcher(value).matches()) {
            throw new ArcDescriptionException(OPTIONS + " option " + key + " must be a whole number of " + example + ", is "
                    + quote(value));
        }
        return Integer.parseInt(value);
    }

    /** A UUID (lower-cased) or a site alias; anything else is refused. */
    private static String imageRef(String raw, String rte) {
        if (UUID_ANY_CASE.matcher(raw).matches()) {
            return raw.toLowerCase(Locale.ROOT);
        }
        if (ImagesSection.ALIAS.matcher(raw).matches()) {
            return raw;
        }
        throw new ArcDescriptionException("runtime environment " + quote(rte) + " names no image: after " + IMAGE_PREFIX
                + " comes an image UUID or a site alias (lower-case letters, digits, '.', '_', '-', at most 63)");
    }

    /** User text in a message: quoted, one line of printable ASCII, at most 64 characters. */
    static String quote(String userText) {
        String s = userText.length() > 64 ? userText.substring(0, 64) + "..." : userText;
        return "\"" + s.replaceAll("[^\\x20-\\x7e]|\"", "?") + "\"";
    }
}
