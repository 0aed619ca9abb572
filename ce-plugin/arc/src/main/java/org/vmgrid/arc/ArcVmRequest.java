package org.vmgrid.arc;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.vmgrid.api.NetworkMode;

/**
 * A VM request as an ARC job states it, checked for form only; the site's decision resolves the
 * image and applies its defaults and limits.
 *
 * @param imageRef the image: a lower-case UUID or a site alias
 * @param imageRte the runtime environment that named it ({@code VMGRID/IMAGE/<ref>})
 * @param memoryMiB {@code memory=} of {@code ENV/VMGRID}, else the job's {@code (memory)}, if either
 * @param cpus {@code cpus=} of {@code ENV/VMGRID}, else the job's {@code (count)}, else 1
 * @param network {@code network=} of {@code ENV/VMGRID}, if given
 */
public record ArcVmRequest(String imageRef, String imageRte, OptionalInt memoryMiB, OptionalInt cpus,
        Optional<NetworkMode> network) {

    public ArcVmRequest {
        Objects.requireNonNull(imageRef, "imageRef");
        Objects.requireNonNull(imageRte, "imageRte");
        Objects.requireNonNull(memoryMiB, "memoryMiB");
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(network, "network");
    }
}
