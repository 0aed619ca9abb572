package org.vmgrid.arc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.config.ImagesSection;

/**
 * Keeps an ARC CE's runtime environments in step with the site's trusted images: one
 * {@code VMGRID/IMAGE/<name>} per usable, unexpired image for its UUID and for each of its aliases
 * (the image list's and the site's), and {@code ENV/VMGRID}; written into A-REX's runtime directory
 * and enabled with arcctl. Those of images that expired, were revoked or left the lists are
 * disabled and removed. vmgrid owns {@code VMGRID/} and {@code ENV/VMGRID} of the runtime directory
 * and touches nothing else.
 *
 * <p>No VM image is offered unless arc.conf runs vmgrid's state callout, which checks each VM
 * request: without it every vmgrid runtime environment is withdrawn and the sync fails, so that a
 * misconfigured CE refuses VM jobs (A-REX fails a job whose runtime environment is not enabled)
 * instead of running them unchecked.
 */
public final class RteSync {

    private final ArcControl arc;
    private final RteScripts scripts;

    public RteSync(ArcControl arc, RteScripts scripts) {
        this.arc = Objects.requireNonNull(arc, "arc");
        this.scripts = Objects.requireNonNull(scripts, "scripts");
    }

    /**
     * What one sync did.
     *
     * @param written runtime environments whose script was written (new or changed)
     * @param enabled those enabled
     * @param removed those disabled and removed
     */
    public record Report(List<String> written, List<String> enabled, List<String> removed) {

        public Report {
            written = List.copyOf(written);
            enabled = List.copyOf(enabled);
            removed = List.copyOf(removed);
        }
    }

    /**
     * Syncs the CE with these images.
     *
     * @param usable the catalogue's usable images
     * @param siteAliases the site's aliases (alias to UUID) of images.properties
     * @param site what the scripts carry
     * @param now for the lists' expiry
     * @throws ArcControlException when arc.conf does not run vmgrid's state callout (after withdrawing
     *     every vmgrid runtime environment), is not SLURM's, or arcctl fails
     */
    public Report sync(List<ImageDescriptor> usable, Map<String, String> siteAliases, RteSite site, Instant now) {
        Path runtimeDir = runtimeDir();
        Map<String, String> wanted = new TreeMap<>();
        if (!stateCalloutConfigured()) {
            Report withdrawn = apply(runtimeDir, wanted);
            throw new ArcControlException("arc.conf runs no vmgrid state callout, which checks each VM request; every "
                    + "vmgrid runtime environment was withdrawn (" + withdrawn.removed().size() + " removed). Add to [arex]: "
                    + "statecallout = PREPARING timeout=60,onsuccess=pass,onfailure=fail,ontimeout=fail "
                    + "/bin/sh <vmgrid home>/arc/vmgrid-arc-statecallout %C %I, and sync again");
        }
        List<String> lrms = arc.option("lrms", "lrms");
        if (lrms.isEmpty() || !lrms.get(0).split("\\s+")[0].equals("slurm")) {
            throw new ArcControlException("arc.conf's [lrms] lrms is '" + String.join(" ", lrms) + "'; vmgrid runs ARC's VM "
                    + "jobs on SLURM only");
        }
        wanted.put(VmgridRuntimeEnvironments.OPTIONS, scripts.options());
        for (ImageDescriptor image : usable) {
            if (!image.listExpires().isAfter(now)) {
                continue;
            }
            TreeSet<String> names = new TreeSet<>(image.aliases());
            siteAliases.forEach((alias, uuid) -> {
                if (uuid.equals(image.uuid())) {
                    names.add(alias);
                }
            });
            names.removeIf(a -> !ImagesSection.ALIAS.matcher(a).matches());
            names.add(image.uuid());
            String script = scripts.image(image, site);
            for (String n : names) {
                wanted.put(VmgridRuntimeEnvironments.IMAGE_PREFIX + n, script);
            }
        }
        return apply(runtimeDir, wanted);
    }

    private Report apply(Path runtimeDir, Map<String, String> wanted) {
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            Path file = runtimeDir.resolve(e.getKey());
            if (!same(file, e.getValue())) {
                write(file, e.getValue());
                written.add(e.getKey());
            }
        }
        TreeSet<String> enabled = new TreeSet<>(arc.enabledRuntimeEnvironments().stream()
                .filter(VmgridRuntimeEnvironments::isVmgrid).toList());
        TreeSet<String> present = present(runtimeDir);
        TreeSet<String> gone = new TreeSet<>(enabled);
        gone.addAll(present);
        gone.removeAll(wanted.keySet());
        arc.disable(gone.stream().filter(enabled::contains).toList());
        for (String name : gone) {
            try {
                Files.deleteIfExists(runtimeDir.resolve(name));
            } catch (IOException e) {
                throw new ArcControlException("cannot remove runtime environment " + runtimeDir.resolve(name) + ": " + e, e);
            }
        }
        List<String> toEnable = wanted.keySet().stream().filter(n -> !enabled.contains(n)).toList();
        arc.enable(toEnable);
        return new Report(written, toEnable, List.copyOf(gone));
    }

    private boolean stateCalloutConfigured() {
        for (String v : arc.option("arex", "statecallout")) {
            String[] words = v.strip().split("\\s+");
            if (words.length >= 5 && (words[0].equals("PREPARING") || words[0].equals("ACCEPTED"))
                    && java.util.Arrays.stream(words).skip(2).anyMatch(w -> w.contains("vmgrid-arc-statecallout")
                            || w.equals("admit")) && v.contains(" %C %I")) {
                return true;
            }
        }
        return false;
    }

    private Path runtimeDir() {
        List<String> dir = arc.option("arex", "runtimedir");
        if (dir.size() != 1 || !dir.get(0).startsWith("/")) {
            throw new ArcControlException("arc.conf sets no [arex] runtimedir; vmgrid writes its runtime environments "
                    + "there: set it (such as runtimedir = /etc/arc/runtime)");
        }
        return Path.of(dir.get(0)).normalize();
    }

    /** vmgrid's runtime environments present as files: everything under VMGRID/, and ENV/VMGRID. */
    private static TreeSet<String> present(Path runtimeDir) {
        TreeSet<String> out = new TreeSet<>();
        if (Files.isRegularFile(runtimeDir.resolve(VmgridRuntimeEnvironments.OPTIONS), LinkOption.NOFOLLOW_LINKS)) {
            out.add(VmgridRuntimeEnvironments.OPTIONS);
        }
        Path images = runtimeDir.resolve(VmgridRuntimeEnvironments.IMAGE_PREFIX);
        if (Files.isDirectory(images, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(images)) {
                for (Path p : s) {
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        out.add(VmgridRuntimeEnvironments.IMAGE_PREFIX + p.getFileName());
                    }
                }
            } catch (IOException e) {
                throw new ArcControlException("cannot list " + images + ": " + e, e);
            }
        }
        return out;
    }

    private static boolean same(Path file, String text) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    && Files.readString(file, StandardCharsets.UTF_8).equals(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whole or not at all: a temporary file beside it, renamed over it; readable by all (A-REX runs it as the mapped user). */
    private static void write(Path file, String text) {
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ArcControlException("cannot write runtime environment " + file + ": " + e
                    + "; check that the runtime directory is writable", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the rename happened, or the write failed and was reported
                }
            }
        }
    }
}
