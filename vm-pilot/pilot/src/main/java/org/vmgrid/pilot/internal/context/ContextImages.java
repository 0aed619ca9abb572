package org.vmgrid.pilot.internal.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.vmgrid.api.GuestAgent;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandFailedException;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.internal.cloudinit.SeedUserData;
import org.vmgrid.pilot.internal.files.FileTrees;

/**
 * Makes a job's two contextualization ISOs with genisoimage (Joliet + Rock Ridge): {@code CONTEXT}
 * holding {@code context.sh}, and the cloud-init NoCloud {@code cidata} with {@code meta-data} and
 * {@code user-data}: the user's data as it is, or, for a stock cloud-init image whose guest agent the
 * pilot delivers, the multipart of {@link SeedUserData}.
 */
public final class ContextImages {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final CommandRunner runner;
    private final SeedUserData seed = new SeedUserData();

    public ContextImages(CommandRunner runner) {
        this.runner = runner;
    }

    /** Writes the CONTEXT ISO for the script to {@code iso}. */
    public void writeContext(ContextScript script, Path iso) {
        writeIso(iso, "CONTEXT", new String[] {"context.sh"}, new byte[][] {script.bytes()});
    }

    /** Writes the NoCloud {@code cidata} ISO for the job to {@code iso}. */
    public void writeCidata(PilotJob job, Path iso) {
        String meta = "instance-id: " + job.jobId() + "\nlocal-hostname: vmgrid-" + job.jobId() + "\n";
        byte[] user;
        if (job.vm().image().guestAgent() == GuestAgent.CLOUD_INIT) {
            user = seed.render(job.jobId(), job.vm().userData());
        } else {
            user = (job.vm().userData().isEmpty() ? "#cloud-config\n{}\n" : job.vm().userData())
                    .getBytes(StandardCharsets.UTF_8);
        }
        writeIso(iso, "cidata", new String[] {"meta-data", "user-data"},
                new byte[][] {meta.getBytes(StandardCharsets.US_ASCII), user});
    }

    private void writeIso(Path iso, String label, String[] names, byte[][] contents) {
        Path staging = iso.resolveSibling(iso.getFileName() + ".d");
        try {
            Files.createDirectories(staging);
            for (int i = 0; i < names.length; i++) {
                Files.write(staging.resolve(names[i]), contents[i]);
            }
            runner.runChecked(Command.of(TIMEOUT, "genisoimage", "-quiet", "-input-charset", "utf-8", "-J", "-R",
                    "-V", label, "-o", iso.toString(), staging.toString()));
        } catch (IOException | CommandFailedException e) {
            throw new PilotException(FailureKind.HOST, "cannot make the " + label + " image " + iso + ": "
                    + e.getMessage() + "; check that genisoimage is installed and the state directory is writable", e);
        } finally {
            FileTrees.deleteQuietly(staging);
        }
    }
}
