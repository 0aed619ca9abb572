package org.vmgrid.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vmgrid.arcitests.ArcVmSite;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.ArcClient;
import org.vmgrid.testing.Unprivileged;

/**
 * What the demo site's users do, one method a step, each checking that it got what it should and
 * answering what happened in one line: grid users through ARC's client and through the CREAM path,
 * plain jobs beside them, refused requests, a consumer of the BDII, the site admin's accounting.
 */
final class UserSteps {

    static final String IMAGE = SiteDemo.IMAGE;
    private static final Duration JOB = Duration.ofMinutes(10);
    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();
    private static final String CREAM_VM_JDL = "[ Type = \"Job\"; Executable = \"job.sh\"; StdOutput = \"std.out\";"
            + " StdError = \"std.err\"; InputSandbox = { \"job.sh\" }; OutputSandbox = { \"std.out\", \"std.err\", \"result.txt\" };"
            + " VirtualOrganisation = \"dteam\";"
            + " VirtualMachine = [ Image = \"" + IMAGE + "\"; Memory = 192; CPUs = 1; Network = \"none\"; ];"
            + " CERequirements = \"other.GlueCEStateStatus == \\\"Production\\\"\"; ]";

    private final DemoSite site;
    private final Steps steps;
    private final CreamPath creamPath;
    private final String hostKernel;
    /** The VM jobs run, each as the site admin knows it and by the CE job id its accounting record is to name. */
    private final Map<String, String> vmJobs = new LinkedHashMap<>();
    private String creamVmReceived;
    private CreamPath.Job creamVm;
    private Exception creamVmFailure;
    private int pilotLogSeen;
    private String lastProgress = "";
    private long lastProgressAt;

    UserSteps(DemoSite site, Steps steps) {
        this.site = site;
        this.steps = steps;
        this.creamPath = new CreamPath(site);
        this.hostKernel = RUN.runChecked(Command.of(Duration.ofSeconds(5), "uname", "-r")).stdoutText().strip();
        this.pilotLogSeen = site.arc.pilot.log().length();
    }

    String hostKernel() {
        return hostKernel;
    }

    String arcVmJob() throws Exception {
        ArcVmSite a = site.arc;
        String xrsl = "&(executable=\"/bin/sh\")(arguments=\"-c\" \"uname -r; echo written in the VM > result.txt\")"
                + "(stdout=\"stdout.txt\")(stderr=\"stderr.txt\")(outputfiles=(\"result.txt\" \"\"))"
                + "(walltime=\"20 minutes\")(jobname=\"demo VM job\")(runtimeenvironment=\"VMGRID/IMAGE/" + IMAGE + "\")"
                + "(runtimeenvironment=\"ENV/VMGRID\" \"memory=192\" \"cpus=1\" \"network=none\")";
        steps.say("xRSL: %s", xrsl);
        String job = a.client.submit("demo-vm", xrsl);
        steps.say("arcsub: job %s", job);
        steps.say("(step 2's CREAM VM job goes in now too: both VMs boot side by side)");
        submitCreamVmJob();
        CommandResult stat = awaitArc(job);
        String state = ArcClient.state(stat).orElse("?");
        String exit = exitCode(stat).orElse("?");
        CommandResult get = a.client.arcget(job);
        check(get.exitCode() == 0, "arcget failed: " + get.stdoutText() + get.stderrText());
        Path files = a.client.downloaded(job);
        List<String> stdout = Files.readAllLines(files.resolve("stdout.txt"));
        String result = Files.readString(files.resolve("result.txt")).strip();
        steps.say("arcget: stdout.txt: %s; result.txt: %s; state %s, exit code %s", stdout, result, state, exit);
        String arcId = job.substring(job.lastIndexOf('/') + 1);
        vmJobs.put("ARC " + arcId, arcId);
        check(state.equals("Finished") && exit.equals("0"), "the job ended " + state + " with exit code " + exit + ": "
                + stat.stdoutText());
        check(stdout.equals(List.of(a.appliance.kernelRelease())) && !hostKernel.equals(a.appliance.kernelRelease()),
                "the payload did not run in the guest: stdout " + stdout + ", host kernel " + hostKernel);
        check(result.equals("written in the VM"), "result.txt: " + result);
        return "ran in the VM (kernel " + stdout.get(0) + ", host " + hostKernel + "), result.txt back with arcget, exit 0";
    }

    /**
     * Step 2's job goes in while step 1's VM boots, so that both VMs boot side by side; step 2 shows
     * what happened to it. A failure here is step 2's.
     */
    private void submitCreamVmJob() {
        try {
            creamVmReceived = creamPath.register("demo-vm", CREAM_VM_JDL, "dteam");
            creamVm = creamPath.submit("cream-vm", creamVmReceived, "dteam",
                    "#!/bin/sh\nuname -r\necho written in the VM > result.txt\n", List.of("std.out", "std.err", "result.txt"));
        } catch (Exception e) {
            creamVmFailure = e;
        }
    }

    String creamVmJob() throws Exception {
        steps.say("JDL: %s", CREAM_VM_JDL);
        if (creamVmFailure != null) {
            throw creamVmFailure;
        }
        check(creamVm != null, "the CREAM VM job was never submitted");
        CreamPath.Job job = creamVm;
        steps.say("JobRegister: admitted by vmgrid's Axis2 module; CREAM got CERequirements = %s",
                CreamPath.cereq(creamVmReceived).orElse("(none)"));
        steps.say("BLAH's SLURM hook wrote: %s", job.hookLines().strip().replace("\n", " | "));
        steps.say("sbatch (during step 1): SLURM job %s, Features=%s, Comment=%s", job.slurmId(),
                site.arc.slurm.jobField(job.slurmId(), "Features"), site.arc.slurm.jobField(job.slurmId(), "Comment"));
        String state = awaitSlurm(job.slurmId());
        String stdout = job.file("output/std.out").strip();
        String result = job.file("output/result.txt").strip();
        String notified = job.file("notifications").strip().replace("\n", " ");
        steps.say("the wrapper collected std.out: %s; result.txt: %s; it told CREAM: %s", stdout, result, notified);
        vmJobs.put("CREAM (SLURM job " + job.slurmId() + ")", job.creamJobId());
        check(job.hookLines().contains("--comment=vmgrid:image=" + site.arc.appliance.uuid()),
                "the hook did not make it a VM job: " + job.hookLines());
        check(state.equals("COMPLETED"), "SLURM job " + state + ": " + creamPath.batchOutput(job));
        check(stdout.equals(site.arc.appliance.kernelRelease()), "the command did not run in the guest: " + stdout
                + creamPath.batchOutput(job));
        check(result.equals("written in the VM") && notified.contains("ExitCode=0"), "result " + result + ", " + notified);
        return "reached SLURM as a VM job (" + job.slurmId() + "), ran in the VM (kernel " + stdout + ") beside step 1's, "
                + "wrapper's exit 0";
    }

    String plainJobs() throws Exception {
        ArcVmSite a = site.arc;
        String arcJob = a.client.submit("demo-plain", "&(executable=\"/bin/sh\")(arguments=\"-c\" \"uname -r\")"
                + "(stdout=\"stdout.txt\")(stderr=\"stderr.txt\")(walltime=\"10 minutes\")(jobname=\"demo plain job\")");
        steps.say("ARC: arcsub of a plain xRSL job: %s", arcJob);
        String jdl = "[ Type = \"Job\"; Executable = \"job.sh\"; StdOutput = \"std.out\"; StdError = \"std.err\";"
                + " CERequirements = \"other.GlueCEStateStatus == \\\"Production\\\"\"; ]";
        String received = creamPath.register("demo-plain", jdl, "dteam");
        CreamPath.Job cream = creamPath.submit("cream-plain", received, "dteam", "#!/bin/sh\nuname -r\n",
                List.of("std.out", "std.err"));
        steps.say("CREAM: a plain JDL, the hook wrote %s; SLURM job %s", cream.hookLines().isEmpty() ? "nothing"
                : cream.hookLines(), cream.slurmId());
        CommandResult stat = awaitArc(arcJob);
        CommandResult get = a.client.arcget(arcJob);
        check(get.exitCode() == 0, "arcget failed: " + get.stdoutText() + get.stderrText());
        String arcOut = Files.readString(a.client.downloaded(arcJob).resolve("stdout.txt")).strip();
        String state = awaitSlurm(cream.slurmId());
        String creamOut = cream.file("output/std.out").strip();
        steps.say("ARC plain job: %s, stdout %s; CREAM plain job: %s, std.out %s", ArcClient.state(stat).orElse("?"),
                arcOut, state, creamOut);
        check(ArcClient.state(stat).equals(Optional.of("Finished")) && arcOut.equals(hostKernel), "ARC: " + stat.stdoutText());
        check(cream.hookLines().isEmpty() && state.equals("COMPLETED") && creamOut.equals(hostKernel), "CREAM: " + state
                + " " + creamOut + creamPath.batchOutput(cream));
        return "ARC and CREAM plain jobs ran on the host (kernel " + hostKernel + ") as before, no VM";
    }

    String refusals() throws Exception {
        ArcVmSite a = site.arc;
        int jobsBefore = a.pilotJobs();
        String unknown = "&(executable=\"/bin/true\")(runtimeenvironment=\"VMGRID/IMAGE/windows-xp\")";
        // without brokering (-Q NONE): ARC's broker would not even send it, no CE publishing that image
        CommandResult sub = a.client.trySubmit("demo-unknown", unknown, "-Q", "NONE");
        check(sub.exitCode() == 0, "arcsub: " + sub.stdoutText() + sub.stderrText());
        String unknownJob = sub.stdoutText().replaceAll("(?s).*Job submitted with jobid: (\\S+).*", "$1");
        String tooLarge = a.client.submit("demo-too-large", "&(executable=\"/bin/true\")(runtimeenvironment=\"VMGRID/IMAGE/"
                + IMAGE + "\")(runtimeenvironment=\"ENV/VMGRID\" \"memory=65536\")");
        steps.say("ARC: an image the site does not offer (%s), 64 GiB of memory (%s)", unknownJob, tooLarge);
        String arcUnknown = arcError(awaitArc(unknownJob));
        String arcLarge = arcError(awaitArc(tooLarge));
        steps.say("arcstat, unknown image: %s", arcUnknown);
        steps.say("arcstat, too much memory: %s", arcLarge);
        String creamUnknown = creamFault("[ Executable = \"/bin/true\"; VirtualOrganisation = \"dteam\";"
                + " VirtualMachine = [ Image = \"windows-xp\"; ]; ]");
        String creamLarge = creamFault("[ Executable = \"/bin/true\"; VirtualOrganisation = \"dteam\";"
                + " VirtualMachine = [ Image = \"" + IMAGE + "\"; Memory = 65536; ]; ]");
        steps.say("CREAM JobRegister, unknown image: %s", creamUnknown);
        steps.say("CREAM JobRegister, too much memory: %s", creamLarge);
        check(arcUnknown.contains("names image windows-xp, which this site cannot run"), "ARC, unknown image: " + arcUnknown);
        check(arcLarge.contains("memory = 65536 MiB is outside what this site allows"), "ARC, memory: " + arcLarge);
        check(creamUnknown.contains("windows-xp"), "CREAM, unknown image: " + creamUnknown);
        check(creamLarge.contains("65536"), "CREAM, memory: " + creamLarge);
        check(a.pilotJobs() == jobsBefore, "a VM was started for a refused job: " + a.pilot.log());
        return "4 requests refused with vmgrid's reason (ARC: arcstat's Job Error; CREAM: JobRegister's fault), no VM started";
    }

    String consumer() throws Exception {
        ArcVmSite a = site.arc;
        String vmCes = "(&(objectClass=GLUE2ComputingService)(GLUE2ServiceCapability=executionmanagement.dynamicvmdeploy))";
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!ldapsearch(vmCes, "GLUE2ServiceID").contains("GLUE2ServiceID:")) {
            check(System.nanoTime() < deadline, "the BDII never published a VM-capable CE");
            steps.progress("waiting for bdii-update to publish");
            Thread.sleep(5000);
        }
        CommandResult find = ArcVmSite.vmgrid("find", "--bdii", a.arc.ldapUrl(), "--image", IMAGE);
        steps.say("$ vmgrid find --bdii %s --image %s", a.arc.ldapUrl(), IMAGE);
        find.stdoutText().lines().forEach(l -> steps.say("  %s", l));
        String services = ldapsearch(vmCes, "GLUE2ServiceID");
        String images = ldapsearch("(&(objectClass=GLUE2ApplicationEnvironment)(GLUE2ApplicationEnvironmentAppName=VM-IMAGE-*))",
                "GLUE2ApplicationEnvironmentAppName", "GLUE2EntityOtherInfo");
        String vmEnv = ldapsearch("(&(objectClass=GLUE2ExecutionEnvironment)(GLUE2ExecutionEnvironmentVirtualMachine=TRUE))",
                "GLUE2ResourceID");
        steps.say("$ ldapsearch -x -LLL -H %s -b o=glue '%s' GLUE2ServiceID", a.arc.ldapUrl(), vmCes);
        services.lines().filter(l -> l.startsWith("GLUE2")).forEach(l -> steps.say("  %s", l));
        steps.say("$ ldapsearch ... '(GLUE2ApplicationEnvironmentAppName=VM-IMAGE-*)': %s", images.lines()
                .filter(l -> l.startsWith("GLUE2ApplicationEnvironmentAppName") || l.contains("ImageAlias")).toList());
        steps.say("$ ldapsearch ... '(GLUE2ExecutionEnvironmentVirtualMachine=TRUE)': %s", vmEnv.lines()
                .filter(l -> l.startsWith("GLUE2ResourceID")).toList());
        String uuid = a.appliance.uuid().toString();
        check(find.exitCode() == 0 && find.stdoutText().contains(a.arc.endpoint()) && find.stdoutText().contains(uuid),
                "vmgrid find did not find the CE and its image: " + find.stdoutText() + find.stderrText());
        check(images.contains("VM-IMAGE-" + uuid) && images.contains("ImageAlias=" + IMAGE), "images: " + images);
        check(vmEnv.contains("GLUE2ResourceID:"), "no VM execution environment: " + vmEnv);
        return "vmgrid find and ldapsearch: the ARC CE runs VM jobs, image " + IMAGE + " (" + uuid + ")";
    }

    String accounting() throws Exception {
        Path file = site.arc.site.accounting;
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<String> records = List.of();
        while (System.nanoTime() < deadline) {
            records = Files.exists(file) ? Files.readAllLines(file) : List.of();
            if (records.size() >= vmJobs.size()) {
                break;
            }
            Thread.sleep(500);
        }
        steps.say("%s (the pilot service's, one JSON record a VM job):", file);
        records.forEach(r -> steps.say("  %s", r));
        String uuid = site.arc.appliance.uuid().toString();
        check(vmJobs.size() == 2, "the VM jobs did not both run: " + vmJobs.keySet());
        check(records.size() == vmJobs.size(), records.size() + " records for " + vmJobs.size() + " VM jobs " + vmJobs.keySet());
        for (Map.Entry<String, String> job : vmJobs.entrySet()) {
            List<String> its = records.stream().filter(r -> r.contains("\"ceJob\":\"" + job.getValue() + "\"")).toList();
            check(its.size() == 1, "no one record names the CE job of " + job.getKey() + " (" + job.getValue() + "): " + records);
            String r = its.get(0);
            check(r.contains("\"image\":\"" + uuid + "\"") && r.contains("\"exitCode\":0") && r.contains("\"user\":\""
                    + Unprivileged.POOL + "\""), "record: " + r);
        }
        return records.size() + " records, each naming its CE's job (" + String.join(", ", vmJobs.keySet())
                + "): image, user, wall and CPU time, exit 0";
    }

    /** Polls arcstat until a final state, with {@link #progress} while it waits. */
    private CommandResult awaitArc(String job) throws InterruptedException {
        long deadline = System.nanoTime() + JOB.toNanos();
        String name = "ARC job " + job.substring(job.lastIndexOf('/') + 1);
        while (true) {
            CommandResult r = site.arc.client.arcstat(job);
            String state = ArcClient.state(r).orElse("(not yet known to the infosys)");
            if (List.of("Finished", "Failed", "Killed", "Deleted").contains(state)) {
                return r;
            }
            progress(name, state);
            check(System.nanoTime() < deadline, "job " + job + " reached no final state in " + JOB.toMinutes() + " min: "
                    + r.stdoutText());
            Thread.sleep(2000);
        }
    }

    /** Polls SLURM until the job ended, with {@link #progress} while it waits. */
    private String awaitSlurm(String id) throws InterruptedException {
        long deadline = System.nanoTime() + JOB.toNanos();
        while (true) {
            String state = site.arc.slurm.jobField(id, "JobState");
            if (List.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY").contains(state)) {
                return state;
            }
            progress("SLURM job " + id, state);
            check(System.nanoTime() < deadline, "SLURM job " + id + " did not end in " + JOB.toMinutes() + " min");
            Thread.sleep(1000);
        }
    }

    /**
     * While a step waits: the job's state when it changes or every 20 s, and what the worker node's
     * pilot service says as it happens (a VM job begins: the VM boots; it ended, with its exit code).
     */
    private void progress(String job, String state) {
        String log = site.arc.pilot.log();
        log.substring(Math.min(pilotLogSeen, log.length())).lines().filter(l -> l.startsWith("vmgrid pilot service: "))
                .forEach(l -> steps.say("worker node: %s", l.substring("vmgrid pilot service: ".length())));
        pilotLogSeen = log.length();
        long now = System.nanoTime();
        if (!(job + ": " + state).equals(lastProgress) || now - lastProgressAt > Duration.ofSeconds(20).toNanos()) {
            steps.progress(job + ": " + state);
            lastProgress = job + ": " + state;
            lastProgressAt = now;
        }
    }

    private static Optional<String> exitCode(CommandResult arcstat) {
        return arcstat.stdoutText().lines().map(String::strip).filter(l -> l.startsWith("Exit Code:"))
                .map(l -> l.substring("Exit Code:".length()).strip()).findFirst();
    }

    private static String arcError(CommandResult arcstat) {
        return ArcClient.state(arcstat).orElse("?") + ": " + arcstat.stdoutText().lines().map(String::strip)
                .filter(l -> l.startsWith("Job Error:")).findFirst().orElse("(no Job Error)");
    }

    private String creamFault(String jdl) throws Exception {
        try {
            creamPath.register("demo-refused", jdl, "dteam");
            return "(admitted)";
        } catch (org.apache.axis2.AxisFault f) {
            return "fault: " + f.getMessage();
        }
    }

    private String ldapsearch(String filter, String... attributes) {
        List<String> argv = new ArrayList<>(List.of("ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no", "-H",
                site.arc.arc.ldapUrl(), "-b", "o=glue", filter));
        argv.addAll(List.of(attributes));
        return RUN.run(Command.of(Duration.ofSeconds(30), argv)).stdoutText();
    }

    private static void check(boolean ok, String why) {
        if (!ok) {
            throw new IllegalStateException(why);
        }
    }
}
