package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.config.PilotSection;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.pilot.internal.cache.ImageCache;
import org.vmgrid.pilot.internal.cache.UriImageSource;
import org.vmgrid.pilot.internal.context.ContextImages;
import org.vmgrid.pilot.internal.domain.DomainPlan;
import org.vmgrid.pilot.internal.domain.DomainType;

/** Builds a job runner's parts from the site configuration ({@code pilot.properties}, {@code limits.properties}). */
public final class PilotAssembly {

    private PilotAssembly() {
    }

    public static JobRunnerParts parts(SiteConfig config, CommandRunner commands, Clock clock) {
        PilotSection p = config.pilot();
        BootProbe probe = new BootProbe(commands);
        DomainType type = HypervisorChoice.choose(p.hypervisor(), cpuinfo(), () -> kvmUsable() && probe.boots("kvm"));
        Path state = stateDir(p.stateDir().toAbsolutePath().normalize());
        Duration boot = Duration.ofSeconds(p.bootTimeoutSeconds());
        return new JobRunnerParts(new ImageCache(p.cacheDir(), p.cacheMaxBytes(), new UriImageSource(), clock),
                new Overlays(commands), new ContextImages(commands), new DomainPlan(config.limits().networkMax(), p.outbound().group()), type,
                new SlotLimiter(state.resolve(".slots"), p.slots(), clock), new AccountingLog(p.accountingFile()),
                state, boot, boot, ProcessHandle.current().pid(), JobUser.current(),
                new SizeCaps(p.guestCaps().outputMaxBytes(), p.guestCaps().consoleMaxBytes(),
                        p.guestCaps().statusMaxBytes(), p.guestCaps().jobdirMaxBytes()));
    }

    /**
     * The state directory, searchable but not listable by others (0711): QEMU, running as each
     * job's user, must reach that job's files in it, and nobody may list the jobs.
     */
    private static Path stateDir(Path dir) {
        try {
            Files.createDirectories(dir);
            if (Files.getOwner(dir).equals(Files.getOwner(Path.of("/proc/self")))) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            }
            return dir;
        } catch (IOException e) {
            throw new PilotException(FailureKind.HOST, "cannot make the state directory " + dir + ": " + e.getMessage()
                    + "; check state.dir in pilot.properties and that the pilot may write there", e);
        }
    }

    private static String cpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code /dev/kvm} must be usable by this process before a probe boot is worth trying. */
    private static boolean kvmUsable() {
        Path kvm = Path.of("/dev/kvm");
        return Files.isReadable(kvm) && Files.isWritable(kvm);
    }
}
