package org.vmgrid.info.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vmgrid.info.InfoException;

/**
 * The pilots' accounting (one JSON line per finished VM job, as {@code pilot.properties}
 * {@code accounting.file} names it), summed over the last 24 hours, when the file is present on the
 * host running the provider (a shared file system, or a CE that is also a worker node). Lines that
 * are not accounting records are skipped and counted.
 */
public final class PilotAccounting {

    static final Duration WINDOW = Duration.ofHours(24);

    /**
     * @param finished VM jobs that ended in the window
     * @param failed those that ended with a failure (image, boot, host, timeout)
     * @param wallHours their wall time in hours
     * @param skipped lines that were not readable accounting records
     */
    public record Figures(long finished, long failed, double wallHours, long skipped) {

        /** As GLUE 2.0 {@code OtherInfo} values. */
        public List<String> otherInfo() {
            return List.of("VMJobsFinished24h=" + finished, "VMJobsFailed24h=" + failed,
                    "VMWallHours24h=" + String.format(Locale.ROOT, "%.2f", wallHours));
        }
    }

    private PilotAccounting() {
    }

    /** The figures, or empty when there is no accounting file on this host. */
    public static Optional<Figures> read(Path file, Instant now) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        ObjectMapper json = new ObjectMapper();
        Instant since = now.minus(WINDOW);
        long finished = 0;
        long failed = 0;
        double wall = 0;
        long skipped = 0;
        // read line by line: the file grows by one line per job for as long as the site runs
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode r = json.readTree(line);
                    Instant end = Instant.parse(r.path("end").asText());
                    double seconds = r.path("wallSeconds").asDouble(-1);
                    if (seconds < 0 || !r.has("failure")) {
                        skipped++;
                        continue;
                    }
                    if (end.isAfter(since) && !end.isAfter(now)) {
                        finished++;
                        failed += r.get("failure").isNull() ? 0 : 1;
                        wall += seconds;
                    }
                } catch (JsonProcessingException | DateTimeParseException e) {
                    skipped++;
                }
            }
        } catch (IOException e) {
            throw new InfoException("cannot read the pilots' accounting " + file + ": " + e
                    + "; make it readable by the provider or set accounting.file elsewhere", e);
        }
        return Optional.of(new Figures(finished, failed, wall / 3600.0, skipped));
    }
}
