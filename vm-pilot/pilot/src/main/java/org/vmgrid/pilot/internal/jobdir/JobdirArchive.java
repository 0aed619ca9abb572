package org.vmgrid.pilot.internal.jobdir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Packs a job directory into a tar archive, as its user (who may read it all): directories, regular
 * files and symbolic links (kept as links, never followed), in name order; sockets, FIFOs and
 * devices are left out, each with a note.
 */
public final class JobdirArchive {

    private JobdirArchive() {
    }

    /**
     * Writes the archive of {@code dir} to {@code out}.
     *
     * @param notes told of each entry left out
     * @throws IOException naming the file that could not be read
     */
    public static void write(Path dir, OutputStream out, Consumer<String> notes) throws IOException {
        TarWriter tar = new TarWriter(out);
        walk(dir, "", tar, notes);
        tar.finish();
    }

    private static void walk(Path dir, String prefix, TarWriter tar, Consumer<String> notes) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted().toList();
        } catch (IOException e) {
            throw new IOException("cannot list " + (prefix.isEmpty() ? "the job directory" : prefix) + ": " + e, e);
        }
        for (Path p : children) {
            String name = prefix + p.getFileName();
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long mtime = a.lastModifiedTime().toInstant().getEpochSecond();
            if (a.isSymbolicLink()) {
                tar.symlink(name, Files.readSymbolicLink(p).toString(), mtime);
            } else if (a.isDirectory()) {
                tar.directory(name, mode(a.permissions()), mtime);
                walk(p, name + "/", tar, notes);
            } else if (a.isRegularFile()) {
                try (InputStream in = Files.newInputStream(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                    tar.file(name, mode(a.permissions()), mtime, a.size(), in);
                } catch (IOException e) {
                    throw new IOException("cannot read " + name + " of the job directory: " + e, e);
                }
            } else {
                notes.accept("not given to the guest: " + name + " (neither a file, a directory nor a symbolic link)");
            }
        }
    }

    private static int mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 0400 >> p.ordinal();
        }
        return m;
    }
}
