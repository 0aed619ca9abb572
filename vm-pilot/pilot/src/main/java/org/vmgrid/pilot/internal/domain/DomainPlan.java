package org.vmgrid.pilot.internal.domain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmgrid.api.GuestAgent;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.internal.job.JobFiles;
import org.vmgrid.pilot.internal.jobdir.JobdirDisks;

/**
 * The isolation policy, apart from the model: which devices a job's VM gets and as whom it runs.
 * Only the job's own files, its base image (read-only, the chain ending there) and its job directory
 * reach the guest (shared over 9p, or for a stock cloud-init image as two raw disks: its archive in,
 * read-only, and an empty one for the archive back); a network device only when the job asked for {@code outbound} AND the site allows
 * it; memory and CPUs exactly as the admitted request says; QEMU runs as the job's user wherever
 * libvirt can run it as another user.
 */
public final class DomainPlan {

    /** Prefix of every vmgrid domain's name. */
    public static final String NAME_PREFIX = "vmgrid-";

    private final NetworkMode siteNetworkMax;
    private final Optional<String> outboundGroup;

    /**
     * @param outboundGroup the group an outbound guest's QEMU runs with, which the node's firewall
     *     keeps off the node itself; without it no guest gets a network
     */
    public DomainPlan(NetworkMode siteNetworkMax, Optional<String> outboundGroup) {
        this.siteNetworkMax = siteNetworkMax;
        this.outboundGroup = outboundGroup;
    }

    /**
     * The domain for a job whose files are prepared at {@code files}, its overlay on {@code base}.
     *
     * @param runAsJobUser whether libvirt is to run QEMU as the job's user (a daemon that runs QEMU
     *     as its own user, a session libvirtd, cannot, and needs not when that user is the job's)
     */
    public Domain plan(PilotJob job, JobFiles files, Disk.BaseImage base, DomainType type, long pilotPid,
            boolean runAsJobUser) {
        List<DomainElement> devices = new ArrayList<>();
        devices.add(new Disk(checked(files.overlay()), "qcow2", "vda", false,
                Optional.of(new Disk.BaseImage(checked(base.file()), base.format()))));
        devices.add(new Disk(checked(files.contextIso()), "raw", "vdb", true));
        devices.add(new Disk(checked(files.cidataIso()), "raw", "vdc", true));
        if (job.vm().image().guestAgent() == GuestAgent.CLOUD_INIT) {
            devices.add(new JobdirDisk(checked(files.jobdirIn()), "vdd", JobdirDisks.IN_SERIAL, true));
            devices.add(new JobdirDisk(checked(files.jobdirOut()), "vde", JobdirDisks.OUT_SERIAL, false));
        } else {
            devices.add(new SharedDirectory(checked(files.workdir()), "jobdir"));
        }
        devices.add(new SerialConsole(checked(files.console())));
        devices.add(new VirtioChannel(checked(files.stdout()), "org.vmgrid.stdout"));
        devices.add(new VirtioChannel(checked(files.stderr()), "org.vmgrid.stderr"));
        devices.add(new VirtioChannel(checked(files.status()), "org.vmgrid.status"));
        if (networkAllowed(job.vm().network())) {
            devices.add(new UserNetwork());
        }
        Optional<DacLabel> runAs = Optional.empty();
        if (runAsJobUser) {
            runAs = Optional.of(networkAllowed(job.vm().network())
                    ? new DacLabel(job.user().uid(), outboundGroup.orElseThrow())
                    : new DacLabel(job.user().uid(), job.user().gid()));
        }
        return new Domain(type, NAME_PREFIX + job.jobId(), new JobLabel(job.jobId(), pilotPid),
                new Memory(job.vm().memoryMiB()), new Vcpus(job.vm().cpus()), new OsBoot(), devices, runAs);
    }

    /**
     * Whether the guest gets a network device: only when both the job and the site say outbound, and
     * this node keeps outbound guests off itself (its outbound group).
     */
    public boolean networkAllowed(NetworkMode requested) {
        return requested == NetworkMode.OUTBOUND && siteNetworkMax == NetworkMode.OUTBOUND
                && outboundGroup.isPresent();
    }

    /** Whether an outbound job is one this node cannot run: the site allows outbound, but the node has no outbound group. */
    public boolean outboundUnenforced(NetworkMode requested) {
        return requested == NetworkMode.OUTBOUND && siteNetworkMax == NetworkMode.OUTBOUND && outboundGroup.isEmpty();
    }

    /**
     * Host paths go into XML attributes: absolute, normalized, and free of control characters and of
     * what XML cannot hold (U+FFFE, U+FFFF, unpaired surrogates).
     */
    private static Path checked(Path p) {
        String s = p.toString();
        if (!p.isAbsolute() || !p.normalize().equals(p) || s.codePoints().anyMatch(DomainPlan::unfit)) {
            throw new IllegalArgumentException("host path for the guest must be absolute, normalized and "
                    + "printable: " + s.codePoints().map(c -> unfit(c) ? '?' : c)
                            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append));
        }
        return p;
    }

    private static boolean unfit(int c) {
        return Character.isISOControl(c) || c == 0xfffe || c == 0xffff || Character.getType(c) == Character.SURROGATE;
    }
}
