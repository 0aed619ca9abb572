package org.vmgrid.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.vmgrid.api.Lrms;
import org.vmgrid.batchhooks.cream.CreamJobWrapper;
import org.vmgrid.blahservice.BlahHookHarness;
import org.vmgrid.blahservice.BlahHookHarness.Blah;
import org.vmgrid.cream.BlahUnwinder;
import org.vmgrid.cream.EmbeddedCream.Description;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.Value;
import org.vmgrid.testing.Unprivileged;

/**
 * A JDL through the CREAM path of the {@link DemoSite}: JobRegister to the Axis2 engine (vmgrid's
 * module checks and rewrites it, or refuses it with the fault the user sees); the JDL CREAM got,
 * its CERequirements unwound as BLAH does into the request file, after what blah_pass_submit_attributes
 * passes for the user's VO; BLAH's SLURM hook (prelz BLAH, /bin/sh being bash) answered by the CE's
 * hook service; the submit script BLAH's slurm_submit.sh writes around a job wrapper of CREAM's
 * shape; sbatch as the pool account, the node's environment naming the customization directory.
 */
final class CreamPath {

    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();
    private final DemoSite site;

    CreamPath(DemoSite site) {
        this.site = site;
    }

    /**
     * One job on its way: what CREAM received, the hook's lines, the SLURM job, the CE sandbox, and
     * CREAM's id of the job (its wrapper's {@code __creamjobid}).
     */
    record Job(String name, String receivedJdl, String hookLines, String slurmId, Path ceSandbox, String creamJobId) {
        String file(String relative) throws IOException {
            Path p = ceSandbox.resolve(relative);
            return Files.exists(p) ? Files.readString(p) : "";
        }
    }

    /**
     * JobRegister of {@code jdl} as a user of VO {@code vo}; answers CREAM's answer: the JDL it
     * received (vmgrid's rewritten CERequirements in it).
     *
     * @throws org.apache.axis2.AxisFault the fault the user's client gets when vmgrid refuses the job
     */
    String register(String id, String jdl, String vo) throws Exception {
        synchronized (site.cream) {
            site.cream.cream().clear();
            site.cream.jobRegister(List.of(new Description(id, jdl)), vo);
            return site.cream.cream().received().get(0).jdl();
        }
    }

    /**
     * What BLAH and CREAM do for the admitted job {@code receivedJdl}: the request file, the hook, the
     * wrapper running {@code script} (staged as job.sh) with its output sandbox, sbatch as the pool account.
     */
    Job submit(String name, String receivedJdl, String vo, String script, List<String> outputs) throws Exception {
        String request = BlahHookHarness.passedIdentity(vo) + cereq(receivedJdl).map(BlahUnwinder::requestFile).orElse("");
        BlahHookHarness.HookRun hook = site.blah.run(Blah.PRELZ_SH_IS_BASH, Lrms.SLURM, request);
        if (hook.exitCode() != 0) {
            throw new IllegalStateException("BLAH's SLURM hook failed (" + hook.exitCode() + "): " + hook.stderr());
        }
        String creamJobId = "CREAM" + Integer.toUnsignedString(name.hashCode());
        CreamJobWrapper wrapper = new CreamJobWrapper(creamJobId, "job.sh", null, null, "std.out", "std.err").input("job.sh");
        outputs.forEach(wrapper::output);
        Path ce = Files.createDirectories(site.arc.shared.resolve("cream-sandbox/" + name));
        Files.createDirectories(ce.resolve("input"));
        Files.createDirectories(ce.resolve("output"));
        Files.writeString(ce.resolve("input/job.sh"), script);
        Path wrapperFile = ce.resolve(creamJobId + "_jobWrapper.sh");
        Files.writeString(wrapperFile, wrapper.render(ce));
        Files.setPosixFilePermissions(wrapperFile, PosixFilePermissions.fromString("rwxr-xr-x"));
        RUN.runChecked(Command.of(Duration.ofSeconds(10), "chown", "-R", Unprivileged.POOL + ":" + Unprivileged.POOL_GROUP,
                ce.toString()));
        Path submitScript = site.poolWork.resolve(name + ".sh");
        Files.writeString(submitScript, BlahHookHarness.slurmSubmitScript(Blah.PRELZ_SH_IS_BASH, name, hook.stdout(),
                site.poolWork.resolve(name + ".out").toString(), wrapperFile, "UI=000000:NS=0000000001:WM=000000"));
        CommandResult r = site.arc.slurm.slurmWithEnv(List.of("PATH=/usr/bin:/bin", "HOME=" + site.poolWork,
                "GLITE_LOCAL_CUSTOMIZATION_DIR=" + site.customization), "sbatch", "--parsable", "--uid=" + Unprivileged.POOL,
                "--gid=" + Unprivileged.POOL_GROUP, "-D", site.poolWork.toString(), submitScript.toString());
        if (r.exitCode() != 0) {
            throw new IllegalStateException("sbatch refused the CREAM job " + name + ": " + r.stderrText());
        }
        return new Job(name, receivedJdl, hook.stdout(), r.stdoutText().strip(), ce, CreamJobWrapper.CE_URL + creamJobId);
    }

    /** The batch job's own output (BLAH's slurm_std_storage): where the node's refusals land. */
    String batchOutput(Job job) throws IOException {
        Path p = site.poolWork.resolve(job.name() + ".out");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    static Optional<String> cereq(String jdl) {
        return Jdl.evaluate(Jdl.parse(jdl), "CERequirements") instanceof Value.Str s ? Optional.of(s.value())
                : Optional.empty();
    }
}
