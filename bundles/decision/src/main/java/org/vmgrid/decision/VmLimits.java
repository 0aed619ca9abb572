package org.vmgrid.decision;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.config.LimitsSection;

/**
 * The site's limits and defaults for a job's VM ({@code limits.properties}): what an absent value
 * becomes, and how much memory, how many CPUs, which network and how much user data a VM may have.
 *
 * @param section the site's limits
 */
public record VmLimits(LimitsSection section) {

    public VmLimits {
        Objects.requireNonNull(section, "section");
    }

    /** The VM {@code ask} gets with {@code image}, or the refusal ({@link Decision.Refusal#OVER_LIMIT}) saying what is over. */
    public Decision apply(VmAsk ask, ImageDescriptor image) {
        VmAsk.Names n = ask.names();
        long memory = ask.memoryMiB().orElse(section.memoryDefaultMiB());
        if (memory < LimitsSection.MIN_MEMORY_MIB || memory > section.memoryMaxMiB()) {
            return over(n.memory() + " = " + memory + " MiB is outside what this site allows ("
                    + LimitsSection.MIN_MEMORY_MIB + " to " + section.memoryMaxMiB() + " MiB); ask for "
                    + (memory < LimitsSection.MIN_MEMORY_MIB ? "at least " + LimitsSection.MIN_MEMORY_MIB
                            : "at most " + section.memoryMaxMiB()));
        }
        long cpus = ask.cpus().orElse(section.cpusDefault());
        if (cpus < 1 || cpus > section.cpusMax()) {
            return over(n.cpus() + " = " + cpus + " is outside what this site allows (1 to " + section.cpusMax()
                    + "); ask for " + (cpus < 1 ? "at least 1" : "at most " + section.cpusMax()));
        }
        NetworkMode network = ask.network().orElse(NetworkMode.NONE);
        if (network.compareTo(section.networkMax()) > 0) {
            return over(n.network() + " = \"" + network.keyword() + "\" is not offered by this site (it allows at most \""
                    + section.networkMax().keyword() + "\"); ask for \"" + section.networkMax().keyword()
                    + "\" or stage data through the sandbox");
        }
        String userData = ask.userData().orElse("");
        int bytes = userData.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > section.userDataMaxBytes()) {
            return over(n.userData() + " is " + bytes + " bytes; this site accepts at most " + section.userDataMaxBytes()
                    + "; shrink it or fetch the rest from inside the VM");
        }
        return new Decision.Allowed(new VmRequest(image, (int) memory, (int) cpus, network, userData));
    }

    /** Memory the batch system must reserve beyond the guest's (QEMU's own), in MiB. */
    public int overheadMiB() {
        return section.overheadMemoryMiB();
    }

    private static Decision over(String reason) {
        return new Decision.Refused(Decision.Refusal.OVER_LIMIT, reason);
    }
}
