package org.vmgrid.admission.internal;

import java.util.Optional;
import java.util.OptionalLong;
import org.vmgrid.api.NetworkMode;

/**
 * A VM request as the JDL states it, before the site resolves and limits it.
 *
 * @param imageRef the image UUID (lower case) or site alias, checked for syntax
 * @param memoryMiB {@code VirtualMachine.Memory}, if given
 * @param cpus {@code VirtualMachine.CPUs}, if given
 * @param network {@code VirtualMachine.Network}, if given
 * @param userData {@code VirtualMachine.UserData}, if given
 * @param source where the image was named, for messages ("VirtualMachine.Image", "CeRequirements")
 * @param tagRef the image named by a VM-IMAGE tag as well, when both forms are used
 */
public record RequestedVm(String imageRef, OptionalLong memoryMiB, OptionalLong cpus,
        Optional<NetworkMode> network, Optional<String> userData, String source, Optional<String> tagRef) {
}
