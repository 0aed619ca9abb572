package org.vmgrid.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.vmgrid.config.SiteSection;

/**
 * vmgrid's customization of CREAM's job wrapper ({@code <vmgrid home>/cream-wrapper/cp_1.sh} and
 * {@code cp_2.sh}), installed into a worker node's {@code GLITE_LOCAL_CUSTOMIZATION_DIR} with the
 * node's settings written into {@code cp_1.sh}: the {@code vmgrid} launcher and the pilot service's
 * socket. The files read nothing else of vmgrid at run time. The worker node's batch hook runs a
 * CREAM VM job only where the directory and both files are root's alone and carry
 * {@link #MARK}.
 */
final class CreamCustomization {

    /** The line the worker node's batch hook looks for in each file. */
    static final String MARK = "vmgrid_cream_customization=1";
    static final List<String> FILES = List.of("cp_1.sh", "cp_2.sh");
    private static final Pattern LAUNCHER_LINE = Pattern.compile("vmgrid_launcher=.*");
    private static final Pattern SERVICE_LINE = Pattern.compile("vmgrid_service=.*");

    private CreamCustomization() {
    }

    /**
     * {@code cp_1.sh}'s text with the two settings replaced.
     *
     * @throws IllegalArgumentException when a path is not a plain absolute path or the text is not vmgrid's
     */
    static String render(String cp1, Path launcher, Path service) {
        for (Path p : List.of(launcher, service)) {
            if (!SiteSection.PLAIN_PATH.matcher(p.toString()).matches()) {
                throw new IllegalArgumentException("'" + p + "' cannot be written into cp_1.sh: use an absolute path of "
                        + "letters, digits, '.', '_', '-' and '/'");
            }
        }
        List<String> out = new ArrayList<>();
        int launchers = 0;
        int services = 0;
        for (String line : cp1.split("\n", -1)) {
            if (LAUNCHER_LINE.matcher(line).matches()) {
                out.add("vmgrid_launcher=" + launcher);
                launchers++;
            } else if (SERVICE_LINE.matcher(line).matches()) {
                out.add("vmgrid_service=" + service);
                services++;
            } else {
                out.add(line);
            }
        }
        if (launchers != 1 || services != 1 || !out.contains(MARK)) {
            throw new IllegalArgumentException("the file has no single vmgrid_launcher= and vmgrid_service= line and "
                    + "no " + MARK + " line; it is not vmgrid's cp_1.sh");
        }
        return String.join("\n", out);
    }

    /**
     * Writes {@code cp_1.sh} (with the settings) and {@code cp_2.sh} from {@code from} into
     * {@code dir}, mode 0644, each replacing a previous one at once.
     *
     * @return the files written
     * @throws IllegalArgumentException saying which file could not be read or written, or why the
     *     directory would not be accepted by the worker node's batch hook
     */
    static List<Path> install(Path from, Path dir, Path launcher, Path service) {
        List<Path> written = new ArrayList<>();
        for (String name : FILES) {
            Path source = from.resolve(name);
            Path target = dir.resolve(name);
            try {
                String text = Files.readString(source, StandardCharsets.UTF_8);
                if (name.equals("cp_1.sh")) {
                    text = render(text, launcher, service);
                } else if (!text.lines().toList().contains(MARK)) {
                    throw new IllegalArgumentException(source + " is not vmgrid's " + name);
                }
                Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                written.add(target);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot install " + source + " as " + target + ": " + e.getMessage()
                        + "; check that the directory exists and is writable", e);
            }
        }
        for (Path p : List.of(dir, written.get(0), written.get(1))) {
            rootsAlone(p);
        }
        return written;
    }

    /** The worker node's batch hook takes only files and a directory no one but root may change. */
    private static void rootsAlone(Path p) {
        try {
            int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            if (uid != 0 || mode.contains(PosixFilePermission.GROUP_WRITE)
                    || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IllegalArgumentException(p + " is not root's alone (uid " + uid + ", "
                        + PosixFilePermissions.toString(mode) + "); the worker node's batch hook refuses CREAM's VM jobs "
                        + "with it: install as root into a directory of root's that no one else can write");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot examine " + p + ": " + e.getMessage(), e);
        }
    }
}
