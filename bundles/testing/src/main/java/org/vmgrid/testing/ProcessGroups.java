package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a daemon the test started, by its PID, and then whatever is left of its process group
 * (helpers it forked that do not end with it). Only processes whose group is the daemon's own
 * (a leader the test started with {@code setsid}) are signalled: never anything found by name.
 */
public final class ProcessGroups {

    private ProcessGroups() {
    }

    /**
     * SIGTERM to the process, SIGKILL after {@code bound}; then SIGTERM, and SIGKILL after 10 s, to its
     * process group (its own when started with setsid; a daemon's is the session its first fork made).
     */
    public static void stop(ProcessHandle leader, Duration bound) throws InterruptedException {
        long group = pgrp(leader.pid());
        if (group <= 0) {
            group = leader.pid();
        }
        if (leader.isAlive()) {
            leader.destroy();
            try {
                leader.onExit().get(bound.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                leader.destroyForcibly();
            }
        }
        stopGroup(group, Duration.ofSeconds(10));
    }

    /** SIGTERM to every member of process group {@code pgid}, SIGKILL to those left after {@code bound}. */
    public static void stopGroup(long pgid, Duration bound) throws InterruptedException {
        if (pgid <= 1 || pgid == pgrp(ProcessHandle.current().pid())) {
            throw new IllegalArgumentException("not a process group the test started: " + pgid);
        }
        signal(pgid, false);
        long deadline = System.nanoTime() + bound.toNanos();
        while (!members(pgid).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (!members(pgid).isEmpty()) {
            signal(pgid, true);
            Thread.sleep(200);
        }
    }

    private static void signal(long pgid, boolean kill) {
        for (long pid : members(pgid)) {
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            // a member may have changed its group since it was listed: check again right before signalling
            if (p.isPresent() && pgrp(pid) == pgid) {
                if (kill) {
                    p.get().destroyForcibly();
                } else {
                    p.get().destroy();
                }
            }
        }
    }

    /** The live (not zombie) processes of a process group, read from /proc. */
    public static List<Long> members(long pgid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                String stat = stat(pid);
                if (stat != null && pgrp(stat) == pgid && !state(stat).equals("Z")) {
                    out.add(pid);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e, e);
        }
        return out;
    }

    /** The process group of a process; -1 when it is gone. */
    public static long pgrp(long pid) {
        String stat = stat(pid);
        return stat == null ? -1 : pgrp(stat);
    }

    /** Fields after the command name, which may hold blanks and parentheses: state ppid pgrp ... */
    private static String[] fields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static long pgrp(String stat) {
        return Long.parseLong(fields(stat)[2]);
    }

    private static String state(String stat) {
        return fields(stat)[0];
    }

    private static String stat(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return null; // gone
        }
    }
}
