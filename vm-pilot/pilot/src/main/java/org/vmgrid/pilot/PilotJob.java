package org.vmgrid.pilot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.vmgrid.api.VmRequest;

/**
 * One payload to run in a VM.
 *
 * @param jobId the job's identifier: letters, digits, '.', '_' and '-' (it names the domain and the
 *     job's state directory)
 * @param vm the admitted VM request (image, memory, CPUs, network, user data)
 * @param argv the payload's command and arguments; untrusted, reach the guest only base64-encoded
 * @param environment variables for the payload; untrusted, as {@code argv}
 * @param workdir the host directory shared into the guest as the payload's working directory
 * @param timeout how long the payload may run once the guest has booted
 * @param user who the job runs as: its VM's QEMU runs with their ids, its workdir must be theirs, and
 *     the accounting record names them (the pilot service's caller, or the user running the pilot)
 * @param batchJob the batch system's id of the job this one runs in, where it is known (the
 *     accounting record names it, so that the VM's use can be charged to that job)
 * @param ceJob the computing element's id of the grid job this one is the payload of (ARC's
 *     {@code GRID_GLOBAL_JOBID}, CREAM's {@code __creamjobid}), where the caller gave one: the
 *     caller's word, of the form {@link #CE_JOB}; the accounting record names it, so that a site
 *     can join the record with the CE's own
 */
public record PilotJob(String jobId, VmRequest vm, List<String> argv, Map<String, String> environment, Path workdir,
        Duration timeout, JobUser user, Optional<String> batchJob, Optional<String> ceJob) {

    /** A job run as {@code user} in the batch job {@code batchJob}, of no known CE job. */
    public PilotJob(String jobId, VmRequest vm, List<String> argv, Map<String, String> environment, Path workdir,
            Duration timeout, JobUser user, Optional<String> batchJob) {
        this(jobId, vm, argv, environment, workdir, timeout, user, batchJob, Optional.empty());
    }

    /** A job run as {@code user}, in no known batch job. */
    public PilotJob(String jobId, VmRequest vm, List<String> argv, Map<String, String> environment, Path workdir,
            Duration timeout, JobUser user) {
        this(jobId, vm, argv, environment, workdir, timeout, user, Optional.empty());
    }

    /** A job of the user running this process. */
    public PilotJob(String jobId, VmRequest vm, List<String> argv, Map<String, String> environment, Path workdir,
            Duration timeout) {
        this(jobId, vm, argv, environment, workdir, timeout, JobUser.current());
    }

    /** This job, run as {@code user}. */
    public PilotJob forUser(JobUser user) {
        return new PilotJob(jobId, vm, argv, environment, workdir, timeout, user, batchJob, ceJob);
    }

    /** This job, in the batch job {@code id}. */
    public PilotJob inBatchJob(Optional<String> id) {
        return new PilotJob(jobId, vm, argv, environment, workdir, timeout, user, id, ceJob);
    }

    /** This job, the payload of the CE's job {@code id}. */
    public PilotJob ofCeJob(Optional<String> id) {
        return new PilotJob(jobId, vm, argv, environment, workdir, timeout, user, batchJob, id);
    }

    /** What a job id may look like. */
    public static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * The prefix of the names the pilot gives its golden snapshots' builds (their state directory,
     * domain label and domain name): no job may take it, so that a job's files, domain and reaping
     * can never be a golden's.
     */
    public static final String RESERVED_PREFIX = "golden-";

    /**
     * What a CE's job id may look like: 1-256 characters, letters, digits and {@code . _ - : / @ + = ~ %},
     * starting with a letter or digit (ARC's bare id or its gsiftp/https URL, a CREAM job id): no
     * space, quote, backslash or control character, so that it is safe in any record or log line.
     */
    public static final Pattern CE_JOB = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+=~%-]{0,255}");

    /** Why {@code id} is not a CE job id, or empty when it is one. */
    public static Optional<String> ceJobProblem(String id) {
        if (CE_JOB.matcher(id).matches()) {
            return Optional.empty();
        }
        return Optional.of("a CE job id is 1-256 letters, digits and . _ - : / @ + = ~ %, starting with a letter or"
                + " a digit");
    }

    public PilotJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(workdir, "workdir");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(batchJob, "batchJob");
        Objects.requireNonNull(ceJob, "ceJob");
        ceJob.flatMap(PilotJob::ceJobProblem).ifPresent(why -> {
            throw new IllegalArgumentException("job " + jobId + ": " + why);
        });
        if (!JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("job id must be 1-64 letters, digits, '.', '_' or '-', was: " + jobId);
        }
        if (jobId.regionMatches(true, 0, RESERVED_PREFIX, 0, RESERVED_PREFIX.length())) {
            throw new IllegalArgumentException("job id must not start with '" + RESERVED_PREFIX + "' (the pilot's golden"
                    + " snapshots are named so), was: " + jobId);
        }
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("job " + jobId + ": a payload needs a command");
        }
        environment = Map.copyOf(environment);
        if (!workdir.isAbsolute()) {
            throw new IllegalArgumentException("job " + jobId + ": workdir must be absolute, was " + workdir);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("job " + jobId + ": timeout must be positive, was " + timeout);
        }
    }
}
