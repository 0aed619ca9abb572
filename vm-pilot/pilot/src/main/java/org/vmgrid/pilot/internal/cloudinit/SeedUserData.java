package org.vmgrid.pilot.internal.cloudinit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;

/**
 * The NoCloud user-data of a job on a stock cloud-init image: the site's part, the guest agent as a
 * {@code text/x-shellscript} that cloud-init runs once per instance (it starts the agent after
 * cloud-final, so that the user's own data has been applied when the payload runs), then the user's
 * own data, if any, as a {@code text/plain} part, whose kind cloud-init tells from its first line as
 * it does for a user-data of one part ({@code #cloud-config}, {@code #!}, {@code #include}, ...).
 * The user's bytes only ever reach the message base64-encoded ({@link MultipartEncoder}).
 */
public final class SeedUserData {

    static final String AGENT_RESOURCE = "guest-agent.sh";
    static final String AGENT_FILENAME = "vmgrid-guest-agent";
    static final String USER_FILENAME = "user-data";

    private final byte[] agent;
    private final MultipartEncoder encoder = new MultipartEncoder();

    /** With the agent this pilot ships. */
    public SeedUserData() {
        this(agentScript());
    }

    SeedUserData(byte[] agent) {
        this.agent = agent.clone();
    }

    /** The parts for a job whose user gave {@code userData} (empty: none). */
    public List<MimePart> parts(String jobId, String userData) {
        check(jobId, userData);
        List<MimePart> parts = new ArrayList<>();
        parts.add(new MimePart("text/x-shellscript", AGENT_FILENAME, agent));
        if (!userData.isEmpty()) {
            parts.add(new MimePart("text/plain", USER_FILENAME, userData.getBytes(StandardCharsets.UTF_8)));
        }
        return parts;
    }

    /**
     * Refuses user data that cannot be joined with the site's part: a MIME message of its own (its
     * parts would reach cloud-init as one unknown part, not applied).
     *
     * @throws PilotException REFUSED, saying why and what to give instead
     */
    public static void check(String jobId, String userData) {
        String head = userData.stripLeading().toLowerCase(Locale.ROOT);
        if (head.startsWith("content-type:") || head.startsWith("mime-version:")) {
            throw new PilotException(FailureKind.REFUSED, "job " + jobId + ": its user data is a MIME message, "
                    + "which cannot be joined with the part this site adds to deliver its guest agent on a "
                    + "cloud-init image; give one #cloud-config or one script instead");
        }
    }

    /** The user-data file's bytes. */
    public byte[] render(String jobId, String userData) {
        return encoder.encode(parts(jobId, userData));
    }

    static byte[] agentScript() {
        try (InputStream in = SeedUserData.class.getResourceAsStream(AGENT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the guest agent " + AGENT_RESOURCE + " is missing from the pilot's bundle");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
