package org.vmgrid.pilot.internal.jobdir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes what a guest returned into the job directory, as the job's user, with what 9p's mapped mode
 * gives a shared directory: a file the guest made is a plain file of the job's user, mode 0600, a
 * directory 0700; a file that was there keeps its mode and gets the guest's content. Nothing is
 * written through a symbolic link of the host (not even a parent) or over something that is not a
 * regular file: such an entry is left out with a note. A file system error (full, read-only) ends
 * the writing with that error.
 */
public final class ReturnedFiles {

    private final Path workdir;
    private final Consumer<String> notes;

    public ReturnedFiles(Path workdir, Consumer<String> notes) {
        this.workdir = workdir;
        this.notes = notes;
    }

    public void directory(String raw) throws IOException {
        String name = checked(raw);
        if (name != null) {
            parentOf(name, true);
        }
    }

    public void file(String raw, long size, InputStream content) throws IOException {
        String name = checked(raw);
        Path p = name == null ? null : parentOf(name, false);
        if (p == null) {
            return;
        }
        BasicFileAttributes a = attributes(p);
        if (a != null && !a.isRegularFile()) {
            notes.accept("not taken back from the guest: " + name + " (on the host it is "
                    + (a.isSymbolicLink() ? "a symbolic link" : a.isDirectory() ? "a directory" : "no regular file") + ")");
            return;
        }
        try (OutputStream out = a == null
                ? Channels.newOutputStream(Files.newByteChannel(p, Set.of(StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))
                : Files.newOutputStream(p, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                        LinkOption.NOFOLLOW_LINKS)) {
            copy(content, out, size);
        } catch (FileAlreadyExistsException e) {
            notes.accept("not taken back from the guest: " + name + " (it appeared on the host meanwhile)");
        }
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[65536];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("the guest's file ended " + left + " bytes early");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    /** The checked name, or null (noted) when it is refused or names the job directory itself. */
    private String checked(String raw) {
        try {
            return EntryName.check(raw).orElse(null);
        } catch (IllegalArgumentException e) {
            notes.accept("not taken back from the guest: an entry with " + e.getMessage());
            return null;
        }
    }

    /**
     * The path of {@code name} after making its parents (and itself, for a directory) as real
     * directories, 0700; null (noted) when something on the way is not a directory of the host.
     */
    private Path parentOf(String name, boolean makeLast) throws IOException {
        String[] parts = name.split("/");
        Path p = workdir;
        int dirs = makeLast ? parts.length : parts.length - 1;
        for (int i = 0; i < dirs; i++) {
            p = p.resolve(parts[i]);
            BasicFileAttributes a = attributes(p);
            if (a == null) {
                try {
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    continue;
                } catch (FileAlreadyExistsException e) {
                    a = attributes(p);
                }
            }
            if (a == null || !a.isDirectory() || a.isSymbolicLink()) {
                notes.accept("not taken back from the guest: " + name + " (on the host "
                        + String.join("/", java.util.Arrays.copyOf(parts, i + 1)) + " is "
                        + (a != null && a.isSymbolicLink() ? "a symbolic link" : "no directory") + ")");
                return null;
            }
        }
        return makeLast ? p : p.resolve(parts[parts.length - 1]);
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
