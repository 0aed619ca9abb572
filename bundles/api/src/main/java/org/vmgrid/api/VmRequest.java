package org.vmgrid.api;

import java.util.Objects;

/**
 * A job's VM request after the site admitted it: every value resolved, defaulted and within the
 * site's limits. This is what travels from the CE to the worker node.
 *
 * @param image the image to boot
 * @param memoryMiB guest memory in MiB
 * @param cpus virtual CPUs
 * @param network the guest's network
 * @param userData cloud-init user data from the JDL, empty when none; untrusted, never rendered into
 *     anything but the contextualization image
 */
public record VmRequest(ImageDescriptor image, int memoryMiB, int cpus, NetworkMode network, String userData) {

    public VmRequest {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(network, "network");
        userData = userData == null ? "" : userData;
        if (memoryMiB <= 0) {
            throw new IllegalArgumentException("memory must be positive, was " + memoryMiB);
        }
        if (cpus <= 0) {
            throw new IllegalArgumentException("cpus must be positive, was " + cpus);
        }
    }
}
