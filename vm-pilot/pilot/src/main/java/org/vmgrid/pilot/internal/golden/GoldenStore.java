package org.vmgrid.pilot.internal.golden;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.internal.domain.DomainPlan;
import org.vmgrid.pilot.internal.domain.Identity;
import org.vmgrid.pilot.internal.files.FileTrees;
import org.vmgrid.pilot.internal.files.Fingerprint;

/**
 * Where golden snapshots are kept ({@code golden.dir}): the pilot's own directory (0700), readable
 * and writable by the pilot alone, like its image cache. {@code <key id>/key} holds the key's text;
 * {@code <key id>/<slot>/} the saved state ({@code state}, written by libvirt), the disk
 * ({@code disk.qcow2}, 0400) and, written last, {@code golden.properties}: the golden's name and
 * identity and the fingerprints of both files. A golden whose files are not, unchanged, the ones
 * recorded is removed rather than restored.
 */
public final class GoldenStore {

    private final Path root;
    private final int ownUid;

    /**
     * @throws PilotException (kind HOST) when the directory cannot be made the pilot's own
     */
    public GoldenStore(Path root, int ownUid) {
        this.root = root.toAbsolutePath().normalize();
        this.ownUid = ownUid;
        try {
            Files.createDirectories(this.root);
            if (uid(this.root) != ownUid || Files.isSymbolicLink(this.root)) {
                throw new PilotException(FailureKind.HOST, "golden.dir " + this.root + " is not the pilot's own (uid "
                        + ownUid + "); make it so (like cache.dir), or set golden.dir or warm.start = false");
            }
            Files.setPosixFilePermissions(this.root, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new PilotException(FailureKind.HOST, "cannot use golden.dir " + this.root + ": " + e.getMessage()
                    + "; check that the pilot may write there, or set warm.start = false", e);
        }
    }

    public Path root() {
        return root;
    }

    /** The directory of a key's golden for a slot (which may not exist yet). */
    Path dir(GoldenKey key, int slot) {
        return root.resolve(key.id()).resolve(Integer.toString(slot));
    }

    /**
     * The id a key's golden for a slot goes by while it is built (its state directory and domain
     * label), in the namespace no job may take ({@link PilotJob#RESERVED_PREFIX}).
     */
    static String buildId(GoldenKey key, int slot) {
        return PilotJob.RESERVED_PREFIX + key.id().substring(0, 16) + "-" + slot;
    }

    /** The name and identity a key's golden for a slot has: fixed, so every restore can keep them. */
    static DomainPlan.Restore restoreOf(GoldenKey key, int slot, String genid, String machine) {
        String name = DomainPlan.NAME_PREFIX + buildId(key, slot);
        UUID uuid = UUID.nameUUIDFromBytes(("vmgrid golden " + key.id() + " " + slot).getBytes(StandardCharsets.US_ASCII));
        return new DomainPlan.Restore(name, new Identity(uuid.toString(), genid, machine));
    }

    /**
     * The key's golden for a slot when there is one and its files are the ones recorded; a golden
     * that changed on disk is removed.
     *
     * @return the golden, or empty with nothing to say (none) or the reason it was removed
     */
    public synchronized Found find(GoldenKey key, int slot) {
        Path dir = dir(key, slot);
        Path record = dir.resolve("golden.properties");
        if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
            return new Found(Optional.empty(), "");
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(record, StandardCharsets.UTF_8)));
            Path state = dir.resolve("state");
            Path disk = dir.resolve("disk.qcow2");
            DomainPlan.Restore restore = restoreOf(key, slot, p.getProperty("genid", ""), p.getProperty("machine", ""));
            boolean same = restore.name().equals(p.getProperty("name")) && !p.getProperty("genid", "").isEmpty()
                    && Fingerprint.of(state).equals(p.getProperty("state")) && Fingerprint.of(disk).equals(p.getProperty("disk"))
                    && (uid(state) == 0 || uid(state) == ownUid) && uid(disk) == ownUid;
            if (same) {
                return new Found(Optional.of(new Golden(key, slot, state, disk, restore)), "");
            }
        } catch (IOException | IllegalArgumentException e) {
            // unreadable or malformed: as changed
        }
        FileTrees.deleteQuietly(dir);
        return new Found(Optional.empty(), "golden " + key.id() + "/" + slot + " changed on disk since it was made and "
                + "was removed");
    }

    /** What {@link #find} found. */
    public record Found(Optional<Golden> golden, String note) {
    }

    /**
     * Keeps a golden just built: its disk moves in (0400), libvirt has written its state into
     * {@link #stateFileFor} already; the record comes last.
     */
    synchronized Golden keep(GoldenKey key, int slot, Path builtDisk, DomainPlan.Restore restore, Instant built,
            double buildSeconds) throws IOException {
        Path dir = dir(key, slot);
        Files.writeString(dir.getParent().resolve("key"), key.text(), StandardCharsets.US_ASCII);
        Path disk = dir.resolve("disk.qcow2");
        Files.move(builtDisk, disk, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("r--------"));
        Path state = dir.resolve("state");
        Files.move(stateFileFor(key, slot), state, StandardCopyOption.REPLACE_EXISTING);
        Properties p = new Properties();
        p.setProperty("name", restore.name());
        p.setProperty("uuid", restore.identity().uuid());
        p.setProperty("genid", restore.identity().genid());
        p.setProperty("machine", restore.identity().machine());
        p.setProperty("state", Fingerprint.of(state));
        p.setProperty("disk", Fingerprint.of(disk));
        p.setProperty("built", built.toString());
        p.setProperty("buildSeconds", String.format(java.util.Locale.ROOT, "%.1f", buildSeconds));
        StringWriter w = new StringWriter();
        p.store(w, "vmgrid golden snapshot; " + key.shape());
        Path tmp = dir.resolve("golden.properties.tmp");
        Files.writeString(tmp, w.toString(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, dir.resolve("golden.properties"), StandardCopyOption.ATOMIC_MOVE);
        return new Golden(key, slot, state, disk, restore);
    }

    /** Where libvirt is to write a golden's state while it is being made; the slot's directory is emptied first. */
    synchronized Path stateFileFor(GoldenKey key, int slot) throws IOException {
        Path dir = dir(key, slot);
        Files.createDirectories(dir);
        return dir.resolve("state.partial");
    }

    /** Empties a slot's directory for a new golden. */
    synchronized void clear(GoldenKey key, int slot) throws IOException {
        FileTrees.deleteQuietly(dir(key, slot));
        Files.createDirectories(dir(key, slot));
        Files.setPosixFilePermissions(dir(key, slot).getParent(), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(dir(key, slot), PosixFilePermissions.fromString("rwx------"));
    }

    /** Removes a key's golden for a slot (one that failed to restore, or a build that failed). */
    public synchronized void remove(GoldenKey key, int slot) {
        FileTrees.deleteQuietly(dir(key, slot));
    }

    /**
     * Removes every golden of the same image and shape as {@code key} but another key (another image
     * checksum or other versions): stale once {@code key}'s golden exists.
     *
     * @return the ids removed
     */
    public synchronized List<String> removeStale(GoldenKey key) {
        return removeIf(text -> text.contains("\n" + key.shape() + "\n") && !text.equals(key.text()));
    }

    /**
     * Removes what a pilot that died while making a golden left in the store (a slot without its
     * record, a key without its text), at start, before any golden is made.
     *
     * @return the slots removed ({@code <key id>/<slot>})
     */
    public synchronized List<String> removeUnfinished() {
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> ids = Files.newDirectoryStream(root)) {
            for (Path id : ids) {
                if (!Files.isDirectory(id, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (DirectoryStream<Path> slots = Files.newDirectoryStream(id)) {
                    for (Path slot : slots) {
                        if (Files.isDirectory(slot, LinkOption.NOFOLLOW_LINKS)
                                && !Files.isRegularFile(slot.resolve("golden.properties"), LinkOption.NOFOLLOW_LINKS)) {
                            FileTrees.deleteQuietly(slot);
                            removed.add(id.getFileName() + "/" + slot.getFileName());
                        }
                    }
                }
                if (!Files.isRegularFile(id.resolve("key"), LinkOption.NOFOLLOW_LINKS)) {
                    FileTrees.deleteQuietly(id);
                }
            }
        } catch (IOException e) {
            // what could not be read stays; the next build of that slot empties it
        }
        return removed;
    }

    /** Removes every golden made with other versions than {@code versions} (at start: a new QEMU or libvirt). */
    public synchronized List<String> removeOtherVersions(String versions) {
        return removeIf(text -> !text.endsWith("\nversions " + versions + "\n"));
    }

    private List<String> removeIf(java.util.function.Predicate<String> stale) {
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> ids = Files.newDirectoryStream(root)) {
            for (Path id : ids) {
                Path keyFile = id.resolve("key");
                String text = Files.isRegularFile(keyFile, LinkOption.NOFOLLOW_LINKS)
                        ? Files.readString(keyFile, StandardCharsets.US_ASCII) : "";
                if (!text.isEmpty() && stale.test(text)) {
                    FileTrees.deleteQuietly(id);
                    removed.add(id.getFileName().toString());
                }
            }
        } catch (IOException e) {
            // what could not be read stays; the next build or start tries again
        }
        return removed;
    }

    private static int uid(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }
}
