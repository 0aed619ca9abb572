package org.vmgrid.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The memory figures of one process from {@code /proc/<pid>/status}, in KiB. */
record ProcStatus(long rssKib, long hwmKib) {

    private static final Pattern FIELD = Pattern.compile("^(VmRSS|VmHWM):\\s+(\\d+) kB$", Pattern.MULTILINE);

    /** Reads the process's status now; empty figures (-1) once it has gone. */
    static ProcStatus of(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            return new ProcStatus(-1, -1);
        }
    }

    /**
     * Parses the text of a status file.
     *
     * @throws IllegalArgumentException when it has no VmRSS or no VmHWM line (a kernel thread, a zombie)
     */
    static ProcStatus parse(String status) {
        long rss = -1;
        long hwm = -1;
        Matcher m = FIELD.matcher(status);
        while (m.find()) {
            if (m.group(1).equals("VmRSS")) {
                rss = Long.parseLong(m.group(2));
            } else {
                hwm = Long.parseLong(m.group(2));
            }
        }
        if (rss < 0 || hwm < 0) {
            throw new IllegalArgumentException("no VmRSS and VmHWM lines in the process status: " + status);
        }
        return new ProcStatus(rss, hwm);
    }
}
