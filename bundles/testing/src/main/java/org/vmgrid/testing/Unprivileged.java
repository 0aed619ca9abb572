package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The unprivileged user the ITs run libvirt, QEMU and the pilot as: a grid job's user on a worker
 * node. {@code libvirt-qemu} (group {@code kvm}) exists wherever libvirt-daemon-system is installed.
 */
public final class Unprivileged {

    public static final String USER = "libvirt-qemu";
    public static final String GROUP = "kvm";

    private Unprivileged() {
    }

    /** argv prefix running the rest as that user with a clean environment. */
    public static List<String> as(Path home, String... env) {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + GROUP, "--clear-groups",
                "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + home));
        argv.addAll(List.of(env));
        return argv;
    }

    /** A fresh directory under /tmp owned by that user (the test runs as root; /root is closed to others). */
    public static Path newDirectory(String prefix) throws IOException {
        Path d = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        own(d);
        return d;
    }

    /** Gives a file or a whole tree to that user. */
    public static void own(Path p) throws IOException {
        UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
        GroupPrincipal group = users.lookupPrincipalByGroupName(GROUP);
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.toList()) {
                Files.setOwner(f, users.lookupPrincipalByName(USER));
                Files.getFileAttributeView(f, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
            }
        }
    }

    /** Removes a tree, whoever owns it; nothing if it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        }
    }
}
