package org.vmgrid.appliance;

import java.nio.file.Path;
import java.util.UUID;

/**
 * What {@link ApplianceBuilder#build} wrote.
 *
 * @param image the qcow2 disk, {@code vmgrid-test-appliance.qcow2}
 * @param imageList the unsigned HEPiX image list describing it, {@code imagelist.json}
 * @param uuid the image's identifier: a name-based (version 5) UUID of its SHA-512, so the same
 *     bytes always get the same identifier
 * @param sha512 the image's SHA-512, lower-case hex
 * @param size the image's size in bytes
 * @param kernelRelease the guest kernel's release, as {@code uname -r} prints it inside the guest
 */
public record BuiltAppliance(Path image, Path imageList, UUID uuid, String sha512, long size, String kernelRelease) {
}
