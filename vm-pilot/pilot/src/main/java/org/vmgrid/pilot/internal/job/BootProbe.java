package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandFailedException;
import org.vmgrid.exec.CommandRunner;

/**
 * A probe boot: QEMU with the given accelerator, no disk and 16 MiB runs the BIOS through its
 * power-on self test to "no bootable device" and exits at once (reboot-timeout 0, no-reboot). The
 * BIOS's debug console proves the guest CPU really ran; a KVM that hangs guests (as a paravirtual
 * host's may) times out instead. About half a second where the accelerator works.
 */
public final class BootProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final CommandRunner runner;

    public BootProbe(CommandRunner runner) {
        this.runner = runner;
    }

    /** Whether a guest boots under the accelerator ({@code kvm} or {@code tcg}). */
    public boolean boots(String accel) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("vmgrid-probe");
            Path log = dir.resolve("bios.log");
            var r = runner.run(Command.of(TIMEOUT, "qemu-system-x86_64", "-accel", accel, "-m", "16", "-nodefaults",
                    "-display", "none", "-no-reboot", "-boot", "reboot-timeout=0", "-chardev",
                    "file,id=bios,path=" + log, "-device", "isa-debugcon,iobase=0x402,chardev=bios"));
            return r.exitCode() == 0 && Files.exists(log)
                    && Files.readString(log, StandardCharsets.ISO_8859_1).contains("No bootable device");
        } catch (CommandFailedException | IOException e) {
            return false; // hung (killed at the timeout) or could not run: not usable
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp directory of a few bytes
        }
    }
}
