package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
        Path state = p.stateDir().toAbsolutePath().normalize();
        Duration boot = Duration.ofSeconds(p.bootTimeoutSeconds());
        return new JobRunnerParts(new ImageCache(p.cacheDir(), p.cacheMaxBytes(), new UriImageSource(), clock),
                new Overlays(commands), new ContextImages(commands), new DomainPlan(config.limits().networkMax()), type,
                new SlotLimiter(state.resolve(".slots"), p.slots(), clock), new AccountingLog(p.accountingFile()),
                state, boot, boot, ProcessHandle.current().pid());
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
