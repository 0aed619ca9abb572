package org.vmgrid.pilot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Who a job runs as: the user its VM's QEMU runs as (so the guest's files come back as theirs, and
 * a QEMU escape lands in their account), whose job directory may be shared, and whom the accounting
 * record names.
 *
 * @param name the user's name, for logs and the accounting record (the number when it has none)
 * @param uid the user's id
 * @param gid the primary group's id
 */
public record JobUser(String name, int uid, int gid) {

    public JobUser {
        Objects.requireNonNull(name, "name");
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("user ids must not be negative, were " + uid + ":" + gid);
        }
    }

    /** Whether this is the superuser, whom no VM ever runs as. */
    public boolean isRoot() {
        return uid == 0;
    }

    /** The user running this process (its effective ids, as the owner of {@code /proc/self} shows them). */
    public static JobUser current() {
        try {
            Path self = Path.of("/proc/self");
            int uid = (Integer) Files.getAttribute(self, "unix:uid");
            int gid = (Integer) Files.getAttribute(self, "unix:gid");
            return new JobUser(System.getProperty("user.name", Integer.toString(uid)), uid, gid);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot tell this process's user from /proc/self: " + e, e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + uid + ":" + gid + ")";
    }
}
