/**
 * Builds the vmgrid test appliance: a small BIOS-bootable qcow2 disk (syslinux, a Debian kernel
 * and a busybox initramfs whose {@code /init} implements guest contract v1, see
 * {@code docs/appliances.md}) and an unsigned HEPiX image list describing it.
 *
 * <p>{@link org.vmgrid.appliance.ApplianceBuilder} does the work; it runs every external tool
 * (apt-get, dpkg-deb, depmod, mkfs.vfat, mtools, syslinux, sfdisk, qemu-img) through
 * {@link org.vmgrid.exec.CommandRunner}, never needs root and never mounts anything.
 */
@Version("0.1.0")
@Export
package org.vmgrid.appliance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
