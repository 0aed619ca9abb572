package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.PilotJob;

/**
 * Appends one JSON line per job to the accounting file: job id, image, hypervisor, start, end,
 * wall and CPU seconds, seconds spent preparing the overlay and context, exit code, failure reason,
 * the user (name and uid), the batch job it ran in (null where unknown), the VM's memory and
 * CPUs, and the CE's job it is the payload of (null where the caller named none). Each line is
 * written whole under an exclusive lock, so concurrent pilots never interleave.
 */
public final class AccountingLog {

    private final Path file;

    public AccountingLog(Path file) {
        this.file = file;
    }

    /** A record with only the preparation time known. */
    public void append(JobOutcome o, PilotJob job, double prepareSeconds) throws IOException {
        StartRecord r = new StartRecord();
        r.prepareSeconds = prepareSeconds;
        append(o, job, r);
    }

    void append(JobOutcome o, PilotJob job, StartRecord start) throws IOException {
        write(line(o, job, start));
    }

    /**
     * The record of a job whose pilot died before the job ended (see {@link Reaper}): no exit code,
     * failure {@code host} with the reason, the time it was reaped as its end.
     */
    public void appendReaped(JobRecord r, Instant end, String reason) throws IOException {
        write(reapedLine(r, end, reason));
    }

    /**
     * The record of a job the pilot service refused at its start, before any VM (its image no longer
     * usable, a request beyond the site's limits): no exit code, the failure and its reason, what the
     * job asked for, the time of the refusal as its start and end.
     */
    public void appendRefused(RefusedJob r) throws IOException {
        write(refusedLine(r));
    }

    private void write(String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        byte[] line = (text + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND); var lock = ch.lock()) {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    static String reapedLine(JobRecord r, Instant end, String reason) {
        return "{\"job\":" + Json.string(r.jobId())
                + ",\"image\":" + Json.string(r.image())
                + ",\"hypervisor\":" + Json.string(r.hypervisor())
                + ",\"start\":" + Json.string(r.start().toString())
                + ",\"end\":" + Json.string(end.toString())
                + ",\"wallSeconds\":" + String.format(Locale.ROOT, "%.3f", Duration.between(r.start(), end).toMillis() / 1e3)
                + ",\"cpuSeconds\":0.000,\"prepareSeconds\":0.000,\"exitCode\":null,\"failure\":\"host\""
                + ",\"reason\":" + Json.string(reason)
                + whoAndWhat(r.user(), r.uid(), r.batchJob(), Integer.toString(r.memoryMiB()),
                        Integer.toString(r.cpus()), r.ceJob());
    }

    static String refusedLine(RefusedJob r) {
        return "{\"job\":" + Json.string(r.jobId())
                + ",\"image\":" + Json.string(r.image())
                + ",\"hypervisor\":\"\""
                + ",\"start\":" + Json.string(r.at().toString())
                + ",\"end\":" + Json.string(r.at().toString())
                + ",\"wallSeconds\":0.000,\"cpuSeconds\":0.000,\"prepareSeconds\":0.000,\"exitCode\":null"
                + ",\"failure\":" + Json.string(r.failure().name().toLowerCase(Locale.ROOT))
                + ",\"reason\":" + Json.string(r.reason())
                + whoAndWhat(r.user(), r.uid(), r.batchJob(), r.memoryMiB().isPresent()
                        ? Integer.toString(r.memoryMiB().getAsInt()) : "null",
                        r.cpus().isPresent() ? Integer.toString(r.cpus().getAsInt()) : "null", r.ceJob());
    }

    /** The fields after the reason, the same in every record (numbers as JSON text). */
    private static String whoAndWhat(String user, int uid, java.util.Optional<String> batchJob, String memoryMiB,
            String cpus, java.util.Optional<String> ceJob) {
        return ",\"user\":" + Json.string(user)
                + ",\"uid\":" + uid
                + ",\"batchJob\":" + batchJob.map(Json::string).orElse("null")
                + ",\"memoryMiB\":" + memoryMiB
                + ",\"cpus\":" + cpus
                + ",\"ceJob\":" + ceJob.map(Json::string).orElse("null") + "}";
    }

    static String line(JobOutcome o, PilotJob job, double prepareSeconds) {
        StartRecord r = new StartRecord();
        r.prepareSeconds = prepareSeconds;
        return line(o, job, r);
    }

    static String line(JobOutcome o, PilotJob job, StartRecord start) {
        return "{\"job\":" + Json.string(o.jobId())
                + ",\"image\":" + Json.string(job.vm().image().uuid())
                + ",\"hypervisor\":" + Json.string(o.hypervisor())
                + ",\"start\":" + Json.string(o.start().toString())
                + ",\"end\":" + Json.string(o.end().toString())
                + ",\"wallSeconds\":" + String.format(Locale.ROOT, "%.3f", o.wallSeconds())
                + ",\"cpuSeconds\":" + String.format(Locale.ROOT, "%.3f", o.cpuSeconds())
                + ",\"prepareSeconds\":" + String.format(Locale.ROOT, "%.3f", start.prepareSeconds)
                + ",\"vmStart\":" + (start.kind.isEmpty() ? "null" : Json.string(start.kind))
                + ",\"vmStartNote\":" + Json.string(start.note)
                + ",\"vmStartSeconds\":" + String.format(Locale.ROOT, "%.3f", start.vmStartSeconds)
                + ",\"vmRunning\":" + start.vmRunning.map(t -> Json.string(t.toString())).orElse("null")
                + ",\"payloadStart\":" + start.payloadStart.map(t -> Json.string(t.toString())).orElse("null")
                + ",\"guestEnd\":" + start.guestEnd.map(t -> Json.string(t.toString())).orElse("null")
                + ",\"exitCode\":" + o.exitCode().map(String::valueOf).orElse("null")
                + ",\"failure\":" + o.failure().map(f -> Json.string(f.name().toLowerCase(Locale.ROOT))).orElse("null")
                + ",\"reason\":" + Json.string(o.reason())
                + whoAndWhat(job.user().name(), job.user().uid(), job.batchJob(), Integer.toString(job.vm().memoryMiB()),
                        Integer.toString(job.vm().cpus()), job.ceJob());
    }
}
