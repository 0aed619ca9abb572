package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.vmgrid.pilot.PilotJob;

/**
 * What the accounting needs of a job, kept in its directory ({@code job.properties}, 0600) from the
 * moment it is made, with the PID of the pilot that runs it: if that pilot dies (SIGKILL, a crash),
 * the next pilot to start reaps the job and writes its accounting record from this.
 *
 * @param start when the job's files were made
 * @param ceJob the CE's id of the grid job (see {@link PilotJob#ceJob()})
 * @param hypervisor the domain type the job's VM runs under ({@code kvm}, {@code qemu}); empty in a
 *     record written before it was kept
 */
public record JobRecord(String jobId, String image, String user, int uid, Optional<String> batchJob, int memoryMiB,
        int cpus, Instant start, long pilotPid, Optional<String> ceJob, String hypervisor) {

    static final String FILE = "job.properties";

    /** A record that names no hypervisor. */
    JobRecord(String jobId, String image, String user, int uid, Optional<String> batchJob, int memoryMiB, int cpus,
            Instant start, long pilotPid, Optional<String> ceJob) {
        this(jobId, image, user, uid, batchJob, memoryMiB, cpus, start, pilotPid, ceJob, "");
    }

    static JobRecord of(PilotJob job, Instant start, long pilotPid, String hypervisor) {
        return new JobRecord(job.jobId(), job.vm().image().uuid(), job.user().name(), job.user().uid(), job.batchJob(),
                job.vm().memoryMiB(), job.vm().cpus(), start, pilotPid, job.ceJob(), hypervisor);
    }

    /** Writes the record into the job's directory. */
    void writeTo(Path jobDir) throws IOException {
        Properties p = new Properties();
        p.setProperty("job", jobId);
        p.setProperty("image", image);
        p.setProperty("user", user);
        p.setProperty("uid", Integer.toString(uid));
        batchJob.ifPresent(b -> p.setProperty("batchJob", b));
        p.setProperty("memoryMiB", Integer.toString(memoryMiB));
        p.setProperty("cpus", Integer.toString(cpus));
        p.setProperty("start", start.toString());
        p.setProperty("pilotPid", Long.toString(pilotPid));
        ceJob.ifPresent(c -> p.setProperty("ceJob", c));
        p.setProperty("hypervisor", hypervisor);
        Path file = jobDir.resolve(FILE);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            p.store(w, null);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** The record in a job's directory; empty when there is none or it cannot be read whole. */
    static Optional<JobRecord> readFrom(Path jobDir) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(jobDir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.load(r);
            return Optional.of(new JobRecord(p.getProperty("job"), p.getProperty("image"), p.getProperty("user"),
                    Integer.parseInt(p.getProperty("uid")), Optional.ofNullable(p.getProperty("batchJob")),
                    Integer.parseInt(p.getProperty("memoryMiB")), Integer.parseInt(p.getProperty("cpus")),
                    Instant.parse(p.getProperty("start")), Long.parseLong(p.getProperty("pilotPid")),
                    Optional.ofNullable(p.getProperty("ceJob")).filter(c -> PilotJob.ceJobProblem(c).isEmpty()),
                    p.getProperty("hypervisor", "").matches("[a-z]{0,16}") ? p.getProperty("hypervisor", "") : ""));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
