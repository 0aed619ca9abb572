package org.vmgrid.pilot.internal.context;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.vmgrid.api.GuestAgent;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;

/** The {@code context.sh} of one job, variable by variable as guest contract v1 defines them. */
public final class JobContextScript {

    /** The 9p mount tag of the job directory. */
    public static final String WORKDIR_TAG = "jobdir";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private JobContextScript() {
    }

    /**
     * The script for a job.
     *
     * @param guestWorkdir the absolute guest path where the job directory is mounted
     * @param network whether the guest gets outbound networking (the job asked AND the site allows)
     */
    public static ContextScript of(PilotJob job, String guestWorkdir, boolean network) {
        ContextScript s = new ContextScript()
                .plain("VMGRID_CONTEXT_VERSION", "1")
                .plain("VMGRID_JOB_ID", job.jobId());
        List<String> argv = job.argv();
        s.plain("VMGRID_ARGC", Integer.toString(argv.size()));
        for (int i = 0; i < argv.size(); i++) {
            s.base64("VMGRID_ARG_" + i, argv.get(i));
        }
        Map<String, String> env = new TreeMap<>(job.environment());
        s.plain("VMGRID_ENVC", Integer.toString(env.size()));
        int i = 0;
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                throw new PilotException(FailureKind.REFUSED, "job " + job.jobId() + ": environment variable name '"
                        + e.getKey().replaceAll("\\p{Cntrl}", "?") + "' is not letters, digits and '_'; rename it");
            }
            s.base64("VMGRID_ENV_" + i++, e.getKey() + "=" + e.getValue());
        }
        s.base64("VMGRID_WORKDIR", guestWorkdir)
                .plain("VMGRID_WORKDIR_TAG", WORKDIR_TAG)
                .plain("VMGRID_WORKDIR_TRANSPORT", job.vm().image().guestAgent() == GuestAgent.CLOUD_INIT ? "disk" : "9p")
                .plain("VMGRID_NETWORK", network ? "outbound" : "none")
                .base64("USER_DATA", job.vm().userData())
                .plain("USERDATA_ENCODING", "base64");
        return s;
    }
}
