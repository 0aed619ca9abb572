package org.vmgrid.pilot.internal.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A file's identity as the kernel keeps it: device, inode, size, owner, mode, modification and change
 * times. Any write, truncation, replacement, owner or mode change gives a file a new change time
 * (which only the kernel sets), so a file whose fingerprint is still the one recorded is the file
 * that was recorded, unchanged.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** The fingerprint of {@code file} itself (a symbolic link is not followed). */
    public static String of(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,size,uid,mode,lastModifiedTime,ctime",
                LinkOption.NOFOLLOW_LINKS);
        return a.get("dev") + " " + a.get("ino") + " " + a.get("size") + " " + a.get("uid") + " "
                + Integer.toOctalString((Integer) a.get("mode")) + " " + nanos(a.get("lastModifiedTime")) + " "
                + nanos(a.get("ctime"));
    }

    private static long nanos(Object t) {
        return ((FileTime) t).to(TimeUnit.NANOSECONDS);
    }
}
