package org.vmgrid.pilot.internal.service;

import java.nio.file.Path;
import org.vmgrid.decision.Asker;
import org.vmgrid.pilot.BatchAllocation;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PoolAccounts;
import org.vmgrid.pilot.internal.job.Workdir;
import org.vmgrid.unixsocket.PeerCredentials;

/**
 * Who a client of the pilot service is and what it may ask, from the kernel's peer credentials
 * alone: its job runs as the calling user (QEMU with their uid and gid; never root), the site
 * decision is asked as that user's VO when it is a pool account of one ({@link PoolAccounts}), it
 * may share only a directory of that user's into its VM ({@link Workdir}), and its VM is held to the
 * batch job the calling process belongs to ({@link BatchAllocation}).
 */
public class CallerPolicy {

    private final PoolAccounts accounts;

    /** A node without pool accounts: every caller is a local account. */
    public CallerPolicy() {
        this(PoolAccounts.none());
    }

    public CallerPolicy(PoolAccounts accounts) {
        this.accounts = accounts;
    }

    /** The user the caller's job runs as. */
    public JobUser user(PeerCredentials peer) {
        if (peer.uid() == 0) {
            throw new PilotException(FailureKind.REFUSED, "a VM never runs as root; run the job as an unprivileged user");
        }
        return new JobUser(peer.name(), peer.uid(), peer.gid());
    }

    /** Who asks the site decision: the VO of the user's pool account, or a local account. */
    public Asker asker(JobUser user) {
        return accounts.asker(user);
    }

    /** What the batch system gave the caller's job: its VM is held to it. */
    public BatchAllocation allocation(PeerCredentials peer) {
        return BatchAllocation.of(peer.pid());
    }

    /** The directory the job may share: the one asked for, by its real path, if it is the user's. */
    public Path workdir(Path requested, JobUser user) {
        return Workdir.check(requested, user);
    }
}
