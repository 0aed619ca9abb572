/**
 * The worker-node pilot: runs a job's payload inside a fresh VM of the image it asked for, through
 * libvirt, and gives back the payload's output, files and exit code as if it had run on the node.
 * {@link org.vmgrid.pilot.VmPilot} is the service; {@link org.vmgrid.pilot.PilotJob} what it runs;
 * {@link org.vmgrid.pilot.JobOutcome} how each job ended; {@link org.vmgrid.pilot.PoolAccounts} whose grid
 * account the job's user is. {@link org.vmgrid.pilot.PilotClient} drives
 * the resident pilot service of {@code vmgrid serve} over its unix socket.
 */
@Version("0.4.0")
@Export
package org.vmgrid.pilot;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
