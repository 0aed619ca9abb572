package org.vmgrid.pilot.internal.job;

import java.nio.file.Path;
import java.time.Duration;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandFailedException;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;

/** Creates a job's copy-on-write qcow2 overlay on a cached base with {@code qemu-img}. */
public final class Overlays {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final CommandRunner runner;

    public Overlays(CommandRunner runner) {
        this.runner = runner;
    }

    /**
     * Creates {@code overlay} backed by {@code base}. The base's format is given explicitly so qemu
     * never probes it (a raw image could otherwise pose as qcow2 with a backing file of its own).
     */
    public void create(Path base, String baseFormat, Path overlay) {
        try {
            runner.runChecked(Command.of(TIMEOUT, "qemu-img", "create", "-q", "-f", "qcow2", "-F", baseFormat, "-b",
                    base.toString(), overlay.toString()));
        } catch (CommandFailedException e) {
            throw new PilotException(FailureKind.HOST, "cannot create the overlay " + overlay + " on " + base + ": "
                    + e.getMessage() + "; check that qemu-utils is installed and the state directory is writable", e);
        }
    }
}
