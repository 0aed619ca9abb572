package org.vmgrid.itests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.Sha512;

/**
 * A stock Debian 12 cloud-init system built from Debian's packages by {@code build-debian-cloud-image.sh}
 * (mmdebstrap), once per build tree: it is kept in {@code target/debian-cloud-image/} for every test
 * method and later runs of the same tree.
 */
final class DebianCloudImage {

    final Path file;
    final long size;
    final String sha512;
    final UUID uuid;
    /** How long the build took; zero when the kept image was used. */
    final Duration buildTime;

    private DebianCloudImage(Path file, Duration buildTime) throws IOException {
        this.file = file;
        this.size = Files.size(file);
        this.sha512 = Sha512.of(file);
        this.uuid = UUID.nameUUIDFromBytes(("debian-cloud:" + sha512).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        this.buildTime = buildTime;
    }

    static DebianCloudImage keptOrBuilt(Path targetDir) throws IOException {
        Path dir = Files.createDirectories(targetDir.resolve("debian-cloud-image"));
        Path image = dir.resolve("debian-12-cloud.qcow2");
        if (Files.isRegularFile(image)) {
            return new DebianCloudImage(image, Duration.ZERO);
        }
        Path script = dir.resolve("build-debian-cloud-image.sh");
        try (InputStream in = DebianCloudImage.class.getResourceAsStream("build-debian-cloud-image.sh")) {
            Files.write(script, in.readAllBytes());
        }
        long t0 = System.nanoTime();
        new ProcessCommandRunner().runChecked(Command.of(Duration.ofMinutes(30), "sh", script.toString(),
                image.toString(), dir.resolve("scratch").toString()));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        Files.setPosixFilePermissions(image, PosixFilePermissions.fromString("rw-r--r--"));
        return new DebianCloudImage(image, took);
    }
}
