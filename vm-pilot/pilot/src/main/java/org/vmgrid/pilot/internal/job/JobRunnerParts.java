package org.vmgrid.pilot.internal.job;

import java.nio.file.Path;
import java.time.Duration;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.internal.cache.ImageCache;
import org.vmgrid.pilot.internal.context.ContextImages;
import org.vmgrid.pilot.internal.domain.DomainPlan;
import org.vmgrid.pilot.internal.domain.DomainType;

/**
 * What a {@link JobRunner} works with, built once from the site configuration.
 *
 * @param stateDir where each job's directory is made
 * @param bootTimeout how long a guest may take to report {@code booted}
 * @param slotWait how long a job waits for a free VM slot
 * @param pilotPid the PID written into each domain's label
 * @param pilotUser the user this pilot runs as (a session libvirtd runs QEMU as them)
 * @param caps how much a guest may write through its ways back
 */
public record JobRunnerParts(ImageCache cache, Overlays overlays, ContextImages contextImages, DomainPlan plan,
        DomainType domainType, SlotLimiter slots, AccountingLog accounting, Path stateDir, Duration bootTimeout,
        Duration slotWait, long pilotPid, JobUser pilotUser, SizeCaps caps) {
}
