package org.vmgrid.appliance;

import java.nio.file.Path;
import java.util.Objects;
import org.vmgrid.appliance.internal.ApplianceBuild;
import org.vmgrid.exec.CommandRunner;

/**
 * Builds the vmgrid test appliance, reproducibly, from Debian packages only: the kernel of the
 * package {@code linux-image-amd64} depends on and {@code busybox-static}, fetched with
 * {@code apt-get download} into a cache and unpacked, never installed. Needs, installed on the
 * host: apt, dpkg, kmod (depmod), dosfstools, mtools, syslinux, syslinux-common, fdisk (sfdisk),
 * qemu-utils. Needs no root.
 */
public final class ApplianceBuilder {

    /** The disk image's file name in the output directory. */
    public static final String IMAGE_FILE = "vmgrid-test-appliance.qcow2";
    /** The image list's file name in the output directory. */
    public static final String IMAGE_LIST_FILE = "imagelist.json";

    private final CommandRunner runner;
    private final ApplianceSettings settings;

    public ApplianceBuilder(CommandRunner runner, ApplianceSettings settings) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Writes {@value #IMAGE_FILE} and {@value #IMAGE_LIST_FILE} into a directory (created if
     * missing), replacing earlier ones only once each is complete.
     *
     * @throws ApplianceBuildException naming the step that failed and what to do
     */
    public BuiltAppliance build(Path outDir) {
        return new ApplianceBuild(runner, settings).run(outDir.toAbsolutePath().normalize());
    }
}
