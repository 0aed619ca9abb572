package org.vmgrid.appliance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * Test fixture: a guest-contract-v1 context ISO (label CONTEXT, {@code context.sh}) made with
 * genisoimage, as the pilot makes it; or one with whatever {@code context.sh} text a test wants.
 */
final class ContextIso {

    private ContextIso() {
    }

    static String contextSh(String jobId, List<String> argv, List<String> env, String workdir, String network) {
        StringBuilder b = new StringBuilder("# vmgrid context, guest contract v1\n");
        b.append("VMGRID_CONTEXT_VERSION='1'\n");
        b.append("VMGRID_JOB_ID='").append(jobId).append("'\n");
        b.append("VMGRID_ARGC='").append(argv.size()).append("'\n");
        for (int i = 0; i < argv.size(); i++) {
            b.append("VMGRID_ARG_").append(i).append("='").append(b64(argv.get(i))).append("'\n");
        }
        b.append("VMGRID_ENVC='").append(env.size()).append("'\n");
        for (int i = 0; i < env.size(); i++) {
            b.append("VMGRID_ENV_").append(i).append("='").append(b64(env.get(i))).append("'\n");
        }
        b.append("VMGRID_WORKDIR='").append(b64(workdir)).append("'\n");
        b.append("VMGRID_WORKDIR_TAG='jobdir'\n");
        b.append("VMGRID_NETWORK='").append(network).append("'\n");
        b.append("USER_DATA='").append(b64("#cloud-config\n{}\n")).append("'\n");
        b.append("USERDATA_ENCODING='base64'\n");
        return b.toString();
    }

    /**
     * The job as the pilot sends it over the job port (guest contract 2): {@code vmgrid-job <bytes>}
     * and a context.sh of version 2 with the host's time and how the VM started.
     */
    static byte[] jobMessage(String jobId, List<String> argv, String workdir, long epochSeconds, String start) {
        String ctx = contextSh(jobId, argv, List.of(), workdir, "none").replace("VMGRID_CONTEXT_VERSION='1'",
                "VMGRID_CONTEXT_VERSION='2'") + "VMGRID_TIME='" + epochSeconds + "'\nVMGRID_START='" + start + "'\n";
        byte[] body = ctx.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] head = ("vmgrid-job " + body.length + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Writes {@code iso} holding {@code context.sh} with exactly this text. */
    static Path write(Path iso, String contextSh) throws IOException {
        Path tree = Files.createTempDirectory(iso.getParent(), "context-");
        Files.writeString(tree.resolve("context.sh"), contextSh, StandardCharsets.UTF_8);
        new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(60), "genisoimage", "-quiet", "-J", "-R",
                "-V", "CONTEXT", "-o", iso.toString(), tree.toString()));
        return iso;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
