package org.vmgrid.pilot.internal.context;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.vmgrid.api.GuestAgent;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;

/**
 * The {@code context.sh} of one job, variable by variable as guest contract 1 defines them (on the
 * CONTEXT disk), or as guest contract 2 sends it over the job port.
 */
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
        return of(job, guestWorkdir, network, "1");
    }

    /**
     * The job as guest contract 2 sends it over the job port: the same variables (version 2), and
     * the host's time and how the VM started ({@code warm}: restored from a golden snapshot, which
     * the guest then proves has reseeded its random generator before it runs anything).
     */
    public static ContextScript sent(PilotJob job, String guestWorkdir, boolean network, Instant now, boolean warm) {
        return of(job, guestWorkdir, network, "2")
                .plain("VMGRID_TIME", Long.toString(now.getEpochSecond()))
                .plain("VMGRID_START", warm ? "warm" : "cold");
    }

    /** The most a job sent over the job port may be: what the guest agent accepts. */
    public static final int MAX_SENT_BYTES = 4 << 20;

    /** {@code vmgrid-job <bytes>\n} and the script: what goes over the job port. */
    public static byte[] message(PilotJob job, ContextScript script) {
        byte[] body = script.bytes();
        if (body.length > MAX_SENT_BYTES) {
            throw new PilotException(FailureKind.REFUSED, "job " + job.jobId() + ": its arguments and environment take "
                    + body.length + " bytes encoded, more than the " + MAX_SENT_BYTES + " a guest takes; pass large "
                    + "data in files of the job directory");
        }
        byte[] head = ("vmgrid-job " + body.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static ContextScript of(PilotJob job, String guestWorkdir, boolean network, String version) {
        ContextScript s = new ContextScript()
                .plain("VMGRID_CONTEXT_VERSION", version)
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
