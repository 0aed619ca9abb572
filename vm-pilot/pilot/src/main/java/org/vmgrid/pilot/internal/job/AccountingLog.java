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

    /** @param prepareSeconds how long the overlay and context images took (0 when never made) */
    public void append(JobOutcome o, PilotJob job, double prepareSeconds) throws IOException {
        write(line(o, job, prepareSeconds));
    }

    /**
     * The record of a job whose pilot died before the job ended (see {@link Reaper}): no exit code,
     * failure {@code host} with the reason, the time it was reaped as its end.
     */
    public void appendReaped(JobRecord r, Instant end, String reason) throws IOException {
        write(reapedLine(r, end, reason));
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
                + ",\"hypervisor\":\"\""
                + ",\"start\":" + Json.string(r.start().toString())
                + ",\"end\":" + Json.string(end.toString())
                + ",\"wallSeconds\":" + String.format(Locale.ROOT, "%.3f", Duration.between(r.start(), end).toMillis() / 1e3)
                + ",\"cpuSeconds\":0.000,\"prepareSeconds\":0.000,\"exitCode\":null,\"failure\":\"host\""
                + ",\"reason\":" + Json.string(reason)
                + ",\"user\":" + Json.string(r.user())
                + ",\"uid\":" + r.uid()
                + ",\"batchJob\":" + r.batchJob().map(Json::string).orElse("null")
                + ",\"memoryMiB\":" + r.memoryMiB()
                + ",\"cpus\":" + r.cpus()
                + ",\"ceJob\":" + r.ceJob().map(Json::string).orElse("null") + "}";
    }

    static String line(JobOutcome o, PilotJob job, double prepareSeconds) {
        return "{\"job\":" + Json.string(o.jobId())
                + ",\"image\":" + Json.string(job.vm().image().uuid())
                + ",\"hypervisor\":" + Json.string(o.hypervisor())
                + ",\"start\":" + Json.string(o.start().toString())
                + ",\"end\":" + Json.string(o.end().toString())
                + ",\"wallSeconds\":" + String.format(Locale.ROOT, "%.3f", o.wallSeconds())
                + ",\"cpuSeconds\":" + String.format(Locale.ROOT, "%.3f", o.cpuSeconds())
                + ",\"prepareSeconds\":" + String.format(Locale.ROOT, "%.3f", prepareSeconds)
                + ",\"exitCode\":" + o.exitCode().map(String::valueOf).orElse("null")
                + ",\"failure\":" + o.failure().map(f -> Json.string(f.name().toLowerCase(Locale.ROOT))).orElse("null")
                + ",\"reason\":" + Json.string(o.reason())
                + ",\"user\":" + Json.string(job.user().name())
                + ",\"uid\":" + job.user().uid()
                + ",\"batchJob\":" + job.batchJob().map(Json::string).orElse("null")
                + ",\"memoryMiB\":" + job.vm().memoryMiB()
                + ",\"cpus\":" + job.vm().cpus()
                + ",\"ceJob\":" + job.ceJob().map(Json::string).orElse("null") + "}";
    }
}
