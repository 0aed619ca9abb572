package org.vmgrid.decision;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.config.ImagesSection;

/**
 * What was asked for, whichever door it came through, before the site decides: each door (a JDL's
 * {@code VirtualMachine} record or tag, a BLAH request file, {@code vmgrid pilot run}'s options, an
 * ARC description) reads its own syntax into this one value. Absent values take the site's
 * defaults.
 *
 * @param image the image as named: a UUID (lower-cased here) or a site alias
 * @param memoryMiB guest memory, if asked
 * @param cpus guest CPUs, if asked
 * @param network guest network, if asked
 * @param userData cloud-init user data, if given
 * @param names how the asking door calls each of these, for reasons a user can act on
 */
public record VmAsk(String image, OptionalLong memoryMiB, OptionalLong cpus, Optional<NetworkMode> network,
        Optional<String> userData, Names names) {

    private static final Pattern UUID_ANY_CASE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * How a door calls the parts of a request, e.g. {@code VirtualMachine.Memory} or {@code --memory}.
     *
     * @param image the image
     * @param memory guest memory
     * @param cpus guest CPUs
     * @param network guest network
     * @param userData user data
     */
    public record Names(String image, String memory, String cpus, String network, String userData) {

        /** A JDL's {@code VirtualMachine} record. */
        public static final Names JDL = new Names("VirtualMachine.Image", "VirtualMachine.Memory",
                "VirtualMachine.CPUs", "VirtualMachine.Network", "VirtualMachine.UserData");
        /** A BLAH request file, as the CE module writes it. */
        public static final Names BLAH = new Names("the " + ImageTag.PREFIX + " tag", ReservedTerms.MEMORY,
                ReservedTerms.CPUS, ReservedTerms.NETWORK, "user data");
        /** {@code vmgrid pilot run}'s options. */
        public static final Names PILOT = new Names("--image", "--memory", "--cpus", "--network", "--user-data");

        public Names {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(memory, "memory");
            Objects.requireNonNull(cpus, "cpus");
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(userData, "userData");
        }
    }

    public VmAsk {
        if (!isImageRef(image)) {
            throw new IllegalArgumentException("not an image UUID or site alias: " + Fqan.printable(image));
        }
        image = canonicalImageRef(image);
        Objects.requireNonNull(memoryMiB, "memoryMiB");
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(userData, "userData");
        Objects.requireNonNull(names, "names");
    }

    /** Only the image, everything else the site's defaults. */
    public static VmAsk image(String image, Names names) {
        return new VmAsk(image, OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(), names);
    }

    /** A UUID in lower case, an alias as it is. */
    public static String canonicalImageRef(String imageRef) {
        return UUID_ANY_CASE.matcher(imageRef).matches() ? imageRef.toLowerCase(Locale.ROOT) : imageRef;
    }

    /** True for an image UUID (any case) or a site alias ({@link ImagesSection#ALIAS}). */
    public static boolean isImageRef(String text) {
        return text != null && (UUID_ANY_CASE.matcher(text).matches() || ImagesSection.ALIAS.matcher(text).matches());
    }
}
