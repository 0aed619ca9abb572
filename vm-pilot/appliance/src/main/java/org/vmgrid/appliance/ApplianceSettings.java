package org.vmgrid.appliance;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The inputs of a test appliance build besides the Debian archive itself.
 *
 * @param debCache where downloaded {@code .deb} files are kept between builds (created if missing)
 * @param sourceDate the timestamp written into every file of the image (reproducible builds'
 *     {@code SOURCE_DATE_EPOCH}); the image list is created at this instant and expires ten years
 *     after it
 * @param kernelMetaPackage the Debian package whose dependency names the kernel image package;
 *     never a {@code -cloud} flavour (it lacks 9p)
 * @param modules the kernel modules the guest loads, by name; their dependencies are added
 * @param commandTimeout how long any one tool may run (the kernel download is the slowest)
 */
public record ApplianceSettings(Path debCache, Instant sourceDate, String kernelMetaPackage, List<String> modules,
        Duration commandTimeout) {

    /** 2026-01-01T00:00:00Z: the default {@code SOURCE_DATE_EPOCH}. */
    public static final long DEFAULT_SOURCE_DATE_EPOCH = 1_767_225_600L;

    /** The modules guest contract v1 needs: virtio disks, serial ports and network, 9p, ISO 9660. */
    public static final List<String> CONTRACT_MODULES = List.of("virtio_pci", "virtio_blk", "virtio_console",
            "virtio_net", "9pnet_virtio", "9p", "isofs");

    public ApplianceSettings {
        Objects.requireNonNull(debCache, "debCache");
        Objects.requireNonNull(sourceDate, "sourceDate");
        if (!kernelMetaPackage.matches("[a-z0-9][a-z0-9.+-]+") || kernelMetaPackage.contains("cloud")) {
            throw new IllegalArgumentException("not a usable kernel package name: " + kernelMetaPackage);
        }
        modules = List.copyOf(modules);
        Objects.requireNonNull(commandTimeout, "commandTimeout");
    }

    /**
     * The defaults: .deb cache {@code ~/.cache/vmgrid/debs}, {@code linux-image-amd64}, the contract
     * modules, 10 minutes per tool.
     *
     * @param sourceDateEpoch seconds since 1970, e.g. from the {@code SOURCE_DATE_EPOCH} variable
     */
    public static ApplianceSettings defaults(long sourceDateEpoch) {
        return new ApplianceSettings(Path.of(System.getProperty("user.home"), ".cache", "vmgrid", "debs"),
                Instant.ofEpochSecond(sourceDateEpoch), "linux-image-amd64", CONTRACT_MODULES, Duration.ofMinutes(10));
    }

    public ApplianceSettings withDebCache(Path dir) {
        return new ApplianceSettings(dir, sourceDate, kernelMetaPackage, modules, commandTimeout);
    }
}
