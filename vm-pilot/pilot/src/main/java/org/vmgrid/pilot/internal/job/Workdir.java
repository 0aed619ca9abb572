package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.internal.text.Printable;

/**
 * The one rule for the directory a job shares into its VM: an existing directory of the job's own
 * user, named by a path of printable characters, shared by its real path. It is checked when the
 * job is accepted and again right before the VM is defined; QEMU then opens it with the job user's
 * ids, so a directory swapped after that gives the guest nothing its user could not reach anyway.
 */
public final class Workdir {

    private Workdir() {
    }

    /**
     * @return the directory's real path (no symbolic link in it)
     * @throws PilotException kind REFUSED saying which part of the rule the directory breaks
     */
    public static Path check(Path requested, JobUser user) {
        String shown = Printable.escape(requested.toString());
        if (Printable.hasControl(requested.toString())) {
            throw refused("--workdir " + shown + " has control characters in its name; rename it");
        }
        Path real;
        try {
            real = requested.toRealPath();
        } catch (java.nio.file.AccessDeniedException e) {
            throw refused("--workdir " + shown + " cannot be reached by the pilot: a directory on its path is closed "
                    + "to it; let the pilot's account search the job directory's parents (the job directory itself "
                    + "may be the user's alone, mode 0700)");
        } catch (IOException e) {
            throw refused("--workdir " + shown + " does not exist; create it first");
        }
        if (Printable.hasControl(real.toString())) {
            throw refused("--workdir " + shown + " leads to " + Printable.escape(real.toString())
                    + ", which has control characters in its name; rename it");
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw refused("--workdir " + shown + " is not a directory");
        }
        int owner;
        try {
            owner = (Integer) Files.getAttribute(real, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw refused("--workdir " + shown + " cannot be examined: " + e.getMessage());
        }
        if (owner != user.uid()) {
            throw refused("--workdir " + Printable.escape(real.toString()) + " belongs to " + ownerName(real)
                    + ", not to " + user.name() + "; a job may only share its own directory into its VM");
        }
        return real;
    }

    private static String ownerName(Path p) {
        try {
            return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException e) {
            return "another user";
        }
    }

    private static PilotException refused(String why) {
        return new PilotException(FailureKind.REFUSED, why);
    }
}
