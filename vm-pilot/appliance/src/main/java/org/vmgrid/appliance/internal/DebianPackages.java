package org.vmgrid.appliance.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmgrid.appliance.ApplianceBuildException;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandRunner;

/**
 * Debian packages fetched with {@code apt-get download} into a cache directory and unpacked with
 * {@code dpkg-deb -x}: never installed, so the build needs no root. A cached {@code .deb} is used
 * again only while it is still the archive's candidate (same file name and SHA-256).
 */
final class DebianPackages {

    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9.+-]+");
    private static final Pattern KERNEL_DEPENDS = Pattern.compile("(?m)^\\s*Depends:\\s*(linux-image-[0-9][a-z0-9.+-]*)\\s*$");
    private static final Pattern URI_LINE = Pattern.compile("(?m)^'([^']+)' (\\S+\\.deb) ([0-9]+) SHA256:([0-9a-f]{64})\\s*$");

    private final CommandRunner runner;
    private final Path cache;
    private final Duration timeout;

    DebianPackages(CommandRunner runner, Path cache, Duration timeout) {
        this.runner = runner;
        this.cache = cache;
        this.timeout = timeout;
    }

    /** The versioned kernel image package a meta-package such as {@code linux-image-amd64} depends on. */
    String kernelPackage(String metaPackage) {
        String out = runner.runChecked(Command.of(timeout, "apt-cache", "depends", checked(metaPackage))).stdoutText();
        Matcher m = KERNEL_DEPENDS.matcher(out);
        if (!m.find()) {
            throw new ApplianceBuildException("apt-cache depends " + metaPackage
                    + " names no linux-image-<version> package; run 'apt-get update' or pick another kernel package");
        }
        return m.group(1);
    }

    /** The package's candidate {@code .deb} in the cache, downloaded first unless already there. */
    Path fetch(String pkg) {
        String uris = runner.runChecked(Command.of(timeout, "apt-get", "download", "--print-uris", checked(pkg)))
                .stdoutText();
        Matcher m = URI_LINE.matcher(uris);
        if (!m.find()) {
            throw new ApplianceBuildException("apt-get download --print-uris " + pkg
                    + " gave no .deb with a SHA-256; run 'apt-get update' and check the package exists");
        }
        String fileName = m.group(2);
        String sha256 = m.group(4);
        Path deb = cache.resolve(fileName);
        if (Files.isRegularFile(deb) && sha256(deb).equals(sha256)) {
            return deb;
        }
        try {
            Files.createDirectories(cache);
            Path partial = Files.createTempDirectory(cache, ".download-");
            try {
                runner.runChecked(Command.of(timeout, "apt-get", "download", pkg).in(partial));
                Path got = partial.resolve(fileName);
                if (!Files.isRegularFile(got) || !sha256(got).equals(sha256)) {
                    throw new ApplianceBuildException("apt-get download " + pkg + " did not leave " + fileName
                            + " with SHA-256 " + sha256 + " in " + partial);
                }
                Files.move(got, deb, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                FileTrees.delete(partial);
            }
        } catch (IOException e) {
            throw new ApplianceBuildException("cannot store " + fileName + " in the .deb cache " + cache + ": " + e, e);
        }
        return deb;
    }

    /** Unpacks a {@code .deb}'s files (not its scripts) under a directory. */
    void extract(Path deb, Path into) {
        runner.runChecked(Command.of(timeout, "dpkg-deb", "-x", deb.toString(), into.toString()));
    }

    private static String checked(String pkg) {
        if (!PACKAGE.matcher(pkg).matches()) {
            throw new ApplianceBuildException("not a Debian package name: '" + pkg + "'");
        }
        return pkg;
    }

    private static String sha256(Path file) {
        return FileTrees.digest(file, "SHA-256");
    }
}
