package org.vmgrid.blahservice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.vmgrid.api.Lrms;
import org.vmgrid.config.SiteSection;

/**
 * Installs the BLAH hook of a vmgrid distribution ({@code <vmgrid home>/blah/local_submit_attributes.sh},
 * one source for every batch system) into BLAH's libexec directory as
 * {@code <lrms>_local_submit_attributes.sh} for each batch system, with the site's settings written
 * in: the batch system, the hook service's socket ({@code blah.hook.socket}) and the path of
 * {@code vmgrid-hook-client}. The hook reads nothing else at run time, so these three lines are how
 * the site configures it.
 */
public final class HookInstaller {

    /** The helper the hooks run, beside them in the distribution's {@code blah/}. */
    public static final String CLIENT = "vmgrid-hook-client";
    /** The hook's one source in the distribution's {@code blah/}. */
    public static final String SOURCE = "local_submit_attributes.sh";
    private static final Pattern LRMS_LINE = Pattern.compile("vmgrid_lrms=.*");
    private static final Pattern SOCKET_LINE = Pattern.compile("vmgrid_socket=.*");
    private static final Pattern CLIENT_LINE = Pattern.compile("vmgrid_client=.*");

    private HookInstaller() {
    }

    /** The file name BLAH sources for {@code lrms}. */
    public static String fileName(Lrms lrms) {
        return lrms.keyword() + "_local_submit_attributes.sh";
    }

    /**
     * The hook's text for {@code lrms} with the three settings replaced.
     *
     * @throws HookServiceException when a path is not a plain absolute path or the text is no vmgrid hook
     */
    public static String render(String hook, Lrms lrms, Path socket, Path client) {
        for (Path p : List.of(socket, client)) {
            if (!SiteSection.PLAIN_PATH.matcher(p.toString()).matches()) {
                throw new HookServiceException("'" + p + "' cannot be written into a hook: use an absolute path of "
                        + "letters, digits, '.', '_', '-' and '/'");
            }
        }
        List<String> out = new ArrayList<>();
        int replaced = 0;
        for (String line : hook.split("\n", -1)) {
            if (LRMS_LINE.matcher(line).matches()) {
                out.add("vmgrid_lrms=" + lrms.keyword());
                replaced++;
            } else if (SOCKET_LINE.matcher(line).matches()) {
                out.add("vmgrid_socket=" + socket);
                replaced++;
            } else if (CLIENT_LINE.matcher(line).matches()) {
                out.add("vmgrid_client=" + client);
                replaced++;
            } else {
                out.add(line);
            }
        }
        if (replaced != 3) {
            throw new HookServiceException("the hook has no single vmgrid_lrms=, vmgrid_socket= and vmgrid_client= line;"
                    + " it is not a vmgrid BLAH hook");
        }
        return String.join("\n", out);
    }

    /**
     * Writes the hook for each of {@code lrms} from {@code hooks} (a distribution's {@code blah/})
     * into {@code libexec}, mode 0644, replacing a previous one atomically.
     *
     * @return the files written
     * @throws HookServiceException saying which file could not be read or written
     */
    public static List<Path> install(Path hooks, Path libexec, List<Lrms> lrms, Path socket, Path client) {
        List<Path> written = new ArrayList<>();
        Path from = hooks.resolve(SOURCE);
        String source;
        try {
            source = Files.readString(from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HookServiceException("cannot read the hook " + from + ": " + e.getMessage()
                    + "; check the vmgrid distribution's blah/ directory", e);
        }
        for (Lrms l : lrms) {
            Path to = libexec.resolve(fileName(l));
            try {
                String text = render(source, l, socket, client);
                Path tmp = Files.createTempFile(libexec, "." + fileName(l), ".tmp");
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                written.add(to);
            } catch (IOException e) {
                throw new HookServiceException("cannot install " + from + " as " + to + ": " + e.getMessage()
                        + "; check that BLAH's libexec directory exists and is writable", e);
            }
        }
        return written;
    }
}
