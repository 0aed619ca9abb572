package org.vmgrid.arc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.vmgrid.api.Admission;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.Verdict;
import org.vmgrid.arc.internal.GramiReader;
import org.vmgrid.decision.Asker;
import org.vmgrid.decision.IdentityException;

/**
 * A-REX's {@code statecallout} for vmgrid: decides one job from its files in the control directory.
 * Whether the job asks for a VM is what A-REX itself will run ({@code job.<id>.grami}): a job with
 * none of vmgrid's runtime environments there passes untouched, its description unread. A VM job's
 * description ({@code job.<id>.description}: ADL from ARC's client, or xRSL as a REST client sent
 * it) is read with {@link ArcJobDescriptions}, must name the same vmgrid runtime environments and
 * options as A-REX read, and goes to the site's decision with the submitter's VOMS attributes
 * ({@code voms=} of {@code job.<id>.local}). Without a grami file, a description that does not
 * mention vmgrid passes.
 */
public final class StateCallout {

    /** A-REX's job ids: letters and digits. */
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9]{1,128}");
    private static final int MAX_REASON = 480;

    private final Supplier<ArcAdmission> admission;
    private final ArcJobDescriptions descriptions;

    /**
     * @param admission the site's admission, asked for only when a VM job comes (a plain job never
     *     needs the site's configuration or image lists); its failure refuses the VM job with the reason
     */
    public StateCallout(Supplier<ArcAdmission> admission, ArcJobDescriptions descriptions) {
        this.admission = Objects.requireNonNull(admission, "admission");
        this.descriptions = Objects.requireNonNull(descriptions, "descriptions");
    }

    /**
     * What A-REX is told.
     *
     * @param admitted true: the job goes on (a plain job, or an admitted VM job)
     * @param reason for a refused job, one line of printable ASCII for {@code arcstat}'s "Job Error"
     */
    public record Answer(boolean admitted, String reason) {

        static Answer pass() {
            return new Answer(true, "");
        }

        static Answer refuse(String reason) {
            String one = reason.replaceAll("[^\\x20-\\x7e]", "?");
            return new Answer(false, one.length() > MAX_REASON ? one.substring(0, MAX_REASON) + "..." : one);
        }
    }

    /** Decides job {@code jobId} of control directory {@code controlDir}. */
    public Answer decide(Path controlDir, String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
            return Answer.refuse("vmgrid: the state callout was given '" + printable(jobId) + "' as the job id; check that "
                    + "arc.conf's statecallout line ends with %C %I");
        }
        Optional<Map<String, String>> grami;
        Optional<String> gramiProblem = Optional.empty();
        try {
            grami = read(controlDir, jobId, "grami").map(b -> GramiReader.read(new String(b, StandardCharsets.UTF_8)));
        } catch (ArcDescriptionException e) {
            grami = Optional.empty();
            gramiProblem = Optional.of(e.getMessage());
        } catch (IOException e) {
            return Answer.refuse("vmgrid: cannot read job " + jobId + "'s files in " + controlDir + ": " + e);
        }
        List<RuntimeEnvironmentRequest> arexRtes = grami.map(GramiReader::runtimeEnvironments).orElse(List.of());
        if (grami.isPresent() && vmgrid(arexRtes).isEmpty()) {
            return Answer.pass();
        }
        byte[] text;
        try {
            Optional<byte[]> d = read(controlDir, jobId, "description");
            if (d.isEmpty()) {
                return grami.isPresent() ? Answer.refuse("vmgrid: VM job " + jobId + " has no description in " + controlDir)
                        : Answer.pass();
            }
            text = d.get();
        } catch (IOException e) {
            return Answer.refuse("vmgrid: cannot read job " + jobId + "'s description in " + controlDir + ": " + e);
        }
        ArcJob job;
        try {
            job = descriptions.parse(text);
        } catch (ArcDescriptionException e) {
            if (grami.isEmpty() && !new String(text, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).contains("vmgrid")) {
                return Answer.pass();
            }
            return Answer.refuse("vmgrid: the VM request cannot be read: " + e.getMessage());
        }
        if (grami.isEmpty() && gramiProblem.isPresent() && !vmgrid(job.runtimeEnvironments()).isEmpty()) {
            return Answer.refuse("vmgrid: the VM request cannot be checked: " + gramiProblem.get());
        }
        if (grami.isPresent() && !vmgrid(arexRtes).equals(vmgrid(job.runtimeEnvironments()))) {
            return Answer.refuse("vmgrid: A-REX reads the job's vmgrid runtime environments as " + describe(vmgrid(arexRtes))
                    + " but its description says " + describe(vmgrid(job.runtimeEnvironments()))
                    + "; write them plainly, such as (runtimeenvironment=\"VMGRID/IMAGE/<image>\")");
        }
        Asker context;
        try {
            context = asker(controlDir, jobId);
        } catch (IOException e) {
            return Answer.refuse("vmgrid: cannot read job " + jobId + "'s .local file in " + controlDir + ": " + e);
        } catch (ArcDescriptionException | IdentityException e) {
            return Answer.refuse("vmgrid: " + e.getMessage());
        }
        Admission a;
        try {
            a = admission.get().admit(job, context);
        } catch (RuntimeException e) {
            return Answer.refuse("vmgrid: the site cannot decide VM jobs now: " + e.getMessage());
        }
        if (a.verdict() == Verdict.ACCEPTED) {
            return Answer.pass();
        }
        return Answer.refuse("vmgrid: VM request " + (a.verdict() == Verdict.REFUSED ? "refused" : "not readable") + ": "
                + a.reason());
    }

    /**
     * The submitter as A-REX recorded them in {@code job.<id>.local} ({@code voms=} lines, the
     * proxy's FQANs), and a check that the batch system is SLURM.
     */
    private static Asker asker(Path controlDir, String jobId) throws IOException {
        List<String> fqans = new ArrayList<>();
        Optional<byte[]> local = read(controlDir, jobId, "local");
        if (local.isPresent()) {
            for (String line : new String(local.get(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("voms=")) {
                    fqans.add(line.substring(5).strip());
                } else if (line.startsWith("lrms=")) {
                    String name = line.substring(5).strip();
                    Lrms.fromKeyword(name).filter(l -> l == Lrms.SLURM).orElseThrow(() -> new ArcDescriptionException(
                            "this CE's batch system is " + printable(name) + "; vmgrid runs ARC's VM jobs on SLURM only"));
                }
            }
        }
        return Asker.grid(Optional.empty(), fqans);
    }

    private static List<RuntimeEnvironmentRequest> vmgrid(List<RuntimeEnvironmentRequest> all) {
        return all.stream().filter(r -> VmgridRuntimeEnvironments.isVmgrid(r.name())).toList();
    }

    private static String describe(List<RuntimeEnvironmentRequest> rtes) {
        List<String> out = new ArrayList<>();
        for (RuntimeEnvironmentRequest r : rtes) {
            List<String> parts = new ArrayList<>();
            parts.add(VmgridRuntimeEnvironments.quote(r.name()));
            r.options().forEach(o -> parts.add(VmgridRuntimeEnvironments.quote(o)));
            out.add("(" + String.join(" ", parts) + ")");
        }
        return out.isEmpty() ? "none" : String.join(" ", out);
    }

    private static Optional<byte[]> read(Path controlDir, String jobId, String suffix) throws IOException {
        Path f = controlDir.resolve("job." + jobId + "." + suffix);
        try {
            if (Files.size(f) > ArcJobDescriptions.MAX_BYTES) {
                throw new IOException(f + " is larger than " + ArcJobDescriptions.MAX_BYTES + " bytes");
            }
            return Optional.of(Files.readAllBytes(f));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static String printable(String s) {
        if (s == null) {
            return "(none)";
        }
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
