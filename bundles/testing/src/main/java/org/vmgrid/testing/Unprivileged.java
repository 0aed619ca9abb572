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
 * The unprivileged users of the ITs. {@link #USER} ({@code libvirt-qemu}, group {@code kvm}, which
 * exists wherever libvirt-daemon-system is installed) is the pilot service's account, and the job's
 * user where a job runs the pilot in its own process (it may use the tests' libvirtd). {@link #POOL}
 * ({@code games}, group {@code games}: an account of Debian's base-passwd on every Debian system,
 * in no other group, owning nothing the tests touch) is a grid pool account: it may use nothing but
 * the pilot service, and its job directories are its own, mode 0700.
 */
public final class Unprivileged {

    public static final String USER = "libvirt-qemu";
    public static final String GROUP = "kvm";
    public static final String POOL = "games";
    public static final String POOL_GROUP = "games";

    private Unprivileged() {
    }

    /** argv prefix running the rest as {@link #USER} with a clean environment. */
    public static List<String> as(Path home, String... env) {
        return as(USER, GROUP, home, env);
    }

    /** argv prefix running the rest as the pool account {@link #POOL} with a clean environment. */
    public static List<String> asPool(Path home, String... env) {
        return as(POOL, POOL_GROUP, home, env);
    }

    private static List<String> as(String user, String group, Path home, String... env) {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--clear-groups",
                "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + home));
        argv.addAll(List.of(env));
        return argv;
    }

    /**
     * A job directory of the pool account as batch systems make them: {@code parent/name}, owned by
     * {@link #POOL}, mode 0700.
     */
    public static Path poolJobDirectory(Path parent, String name) throws IOException {
        Path d = Files.createDirectories(parent.resolve(name));
        ownBy(d, POOL, POOL_GROUP);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        return d;
    }

    /** Gives a file or a whole tree to the pool account. */
    public static void ownByPool(Path p) throws IOException {
        ownBy(p, POOL, POOL_GROUP);
    }

    /** A fresh directory under /tmp owned by {@link #USER} (the test runs as root; /root is closed to others). */
    public static Path newDirectory(String prefix) throws IOException {
        Path d = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        own(d);
        return d;
    }

    /** Gives a file or a whole tree to {@link #USER}. */
    public static void own(Path p) throws IOException {
        ownBy(p, USER, GROUP);
    }

    private static void ownBy(Path p, String user, String groupName) throws IOException {
        UserPrincipalLookupService users = p.getFileSystem().getUserPrincipalLookupService();
        GroupPrincipal group = users.lookupPrincipalByGroupName(groupName);
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.toList()) {
                Files.setOwner(f, users.lookupPrincipalByName(user));
                Files.getFileAttributeView(f, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(group);
            }
        }
    }

    /**
     * This JVM's class path for processes of the unprivileged users: every entry they could not
     * read where it is (a Maven repository under /root, or one closed to others) copied into
     * {@code dir}, which must be theirs to read.
     */
    public static String readableClassPath(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(":")) {
            Path p = Path.of(e);
            if (Files.exists(p) && !readableByOthers(p)) {
                Path copy = dir.resolve(i++ + "-" + p.getFileName());
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path f : s.toList()) {
                        Path to = copy.resolve(p.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(to);
                        } else {
                            Files.copy(f, to);
                        }
                    }
                }
                entries.add(copy.toString());
            } else {
                entries.add(e);
            }
        }
        return String.join(":", entries);
    }

    private static boolean readableByOthers(Path p) throws IOException {
        Path real = p.toRealPath();
        if (!Files.getPosixFilePermissions(real).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
            return false;
        }
        for (Path d = Files.isDirectory(real) ? real : real.getParent(); d != null; d = d.getParent()) {
            if (!Files.getPosixFilePermissions(d).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
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
