package org.vmgrid.itests;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The most VM jobs that ran at once on a {@link SlurmVmNode} while this sampled it (about four
 * times a second), as each part of the node sees them: jobs SLURM runs, domains libvirt knows, QEMU
 * processes of the node's VMs. A sample that a part cannot answer (a daemon being restarted) counts
 * nothing for that part.
 */
final class VmsAtOnce implements AutoCloseable {

    private final SlurmVmNode node;
    private final AtomicBoolean sampling = new AtomicBoolean(true);
    private final AtomicInteger slurmJobs = new AtomicInteger();
    private final AtomicInteger domains = new AtomicInteger();
    private final AtomicInteger qemuProcesses = new AtomicInteger();
    private final Thread sampler;

    private VmsAtOnce(SlurmVmNode node) {
        this.node = node;
        this.sampler = new Thread(this::sample, "vms-at-once");
    }

    /** Starts sampling the node until {@link #close}. */
    static VmsAtOnce sample(SlurmVmNode node) {
        VmsAtOnce s = new VmsAtOnce(node);
        s.sampler.start();
        return s;
    }

    private void sample() {
        while (sampling.get()) {
            qemuProcesses.accumulateAndGet(node.guestProcesses().size(), Math::max);
            try {
                domains.accumulateAndGet(node.libvirt.domains().size(), Math::max);
            } catch (RuntimeException e) {
                // libvirtd away for a moment: no domain counted
            }
            int running = (int) node.slurm.slurm("squeue", "-h", "-t", "R", "-o", "%i").stdoutText().lines().count();
            slurmJobs.accumulateAndGet(running, Math::max);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    int mostSlurmJobs() {
        return slurmJobs.get();
    }

    int mostDomains() {
        return domains.get();
    }

    int mostQemuProcesses() {
        return qemuProcesses.get();
    }

    @Override
    public String toString() {
        return "at most " + mostSlurmJobs() + " jobs running in SLURM, " + mostDomains() + " libvirt domains, "
                + mostQemuProcesses() + " QEMU processes at once";
    }

    /** Stops sampling; the maxima stay. */
    @Override
    public void close() throws InterruptedException {
        sampling.set(false);
        sampler.join();
    }
}
