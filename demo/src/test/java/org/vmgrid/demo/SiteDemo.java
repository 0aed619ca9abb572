package org.vmgrid.demo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.vmgrid.arcitests.ArcVmSite;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.ArcClient;
import org.vmgrid.testing.Unprivileged;

/**
 * {@code ./demo.sh}: brings up the {@link DemoSite} and does what its three kinds of users do, each
 * step named as it starts, with progress while it waits and its time, then one summary table.
 * Exit 0 only if every step did what it should. {@code --keep}: the site stays up after the steps,
 * until SIGINT or SIGTERM, with how to submit to it and query it. Whatever happens (a failure,
 * SIGINT, SIGTERM), everything started is stopped by PID and every directory written is removed.
 */
public final class SiteDemo {

    static final String IMAGE = ArcVmSite.ALIAS;
    private static final Duration JOB = Duration.ofMinutes(10);
    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();
    private static final String CREAM_VM_JDL = "[ Type = \"Job\"; Executable = \"job.sh\"; StdOutput = \"std.out\";"
            + " StdError = \"std.err\"; InputSandbox = { \"job.sh\" }; OutputSandbox = { \"std.out\", \"std.err\", \"result.txt\" };"
            + " VirtualOrganisation = \"dteam\";"
            + " VirtualMachine = [ Image = \"" + IMAGE + "\"; Memory = 192; CPUs = 1; Network = \"none\"; ];"
            + " CERequirements = \"other.GlueCEStateStatus == \\\"Production\\\"\"; ]";


    private final PrintStream out;
    private final Steps steps;
    private DemoSite site;
    private CreamPath creamPath;
    private String hostKernel;
    private final List<String> vmJobs = new ArrayList<>();
    /** The steps are done and did what they should; the site is up until the demo is stopped. */
    private volatile boolean keeping;
    private String creamVmReceived;
    private CreamPath.Job creamVm;
    private Exception creamVmFailure;
    /** The directories the site wrote, for a check that close removed them. */
    private final List<Path> written = new ArrayList<>();

    SiteDemo(PrintStream out) {
        this.out = out;
        this.steps = new Steps(out);
    }

    public static void main(String[] args) throws Exception {
        boolean keep = List.of(args).equals(List.of("--keep"));
        if (args.length > 0 && !keep) {
            System.err.println("usage: SiteDemo [--keep]");
            System.exit(2);
        }
        Thread main = Thread.currentThread();
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicInteger exit = new AtomicInteger(130);
        SiteDemo demo = new SiteDemo(System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (done.getCount() > 0) {
                stopping.set(true);
                System.out.println("\n== stopping: everything the demo started, by PID; removing what it wrote");
                demo.steps.requestStop();
                main.interrupt();
                try {
                    done.await(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // the demo's own exit code (0: a kept site stopped after every step did what it should)
                Runtime.getRuntime().halt(exit.get());
            }
        }));
        Thread.setDefaultUncaughtExceptionHandler(SiteDemo::uncaught);
        int rc;
        try {
            rc = demo.run(keep);
            exit.set(rc);
        } finally {
            done.countDown();
        }
        if (!stopping.get()) {
            System.exit(rc);
        }
    }

    /**
     * Axis2 2.0's HTTP server throws a NullPointerException from a worker thread when it closes a
     * connection whose client has gone (after each JobRegister here): harmless, and not the demo's
     * to show. Anything else a thread dies of is printed.
     */
    private static void uncaught(Thread t, Throwable e) {
        boolean axis2Close = e instanceof NullPointerException && e.getStackTrace().length > 0
                && e.getStackTrace()[0].getClassName().equals("org.apache.axis2.transport.http.server.AxisHttpConnectionImpl")
                && e.getStackTrace()[0].getMethodName().equals("close");
        if (!axis2Close) {
            System.err.print("Exception in thread \"" + t.getName() + "\" ");
            e.printStackTrace();
        }
    }

    /** Sets what the fixtures read from system properties, from {@code vmgrid.root}, where not given. */
    static void defaults() {
        Path root = ArcVmSite.ROOT;
        System.setProperty("vmgrid.blah.hooks", System.getProperty("vmgrid.blah.hooks", root.resolve("ce-plugin/blah")
                .toString()));
        System.setProperty("vmgrid.blah.client", System.getProperty("vmgrid.blah.client", ArcVmSite.DIST
                .resolve("blah/vmgrid-hook-client").toString()));
    }

    /** Brings the site up, runs the steps, prints the summary; stops everything. Answers the exit code. */
    int run(boolean keep) {
        defaults();
        long start = System.nanoTime();
        try {
            if (steps.run("site: SLURM, worker node, ARC CE, CREAM path, BDII", this::bringUp)) {
                steps.run("1. grid user, ARC: an xRSL job asking for the appliance", this::arcVmJob);
                steps.run("2. grid user, CREAM: a JDL asking for the appliance", this::creamVmJob);
                steps.run("3. plain jobs through each CE run as before", this::plainJobs);
                steps.run("4. what the site does not offer is refused with the reason", this::refusals);
                steps.run("5. consumer: the BDII's VM-capable CEs and their images", this::consumer);
                steps.run("6. site admin: the accounting records of the VM jobs", this::accounting);
            }
            steps.summary(Steps.since(start));
            if (keep && steps.allOk()) {
                keepRunning();
            }
        } catch (InterruptedException e) {
            Thread.interrupted();
            if (keeping) {
                out.println("\n== stopping the site, as asked");
                return 0;
            }
            out.println("\n== interrupted");
            steps.summary(Steps.since(start));
            return 130;
        } finally {
            stop();
        }
        return steps.allOk() ? 0 : 1;
    }

    List<Steps.Outcome> outcomes() {
        return steps.outcomes();
    }

    List<Path> written() {
        return List.copyOf(written);
    }

    private void stop() {
        if (site == null) {
            return;
        }
        long t = System.nanoTime();
        try {
            site.close();
            out.printf("%n== stopped everything the demo started, by PID, and removed what it wrote (%s)%n",
                    Steps.seconds(Steps.since(t)));
        } catch (Exception e) {
            out.printf("%n== stopping the site failed: %s%n", e);
        }
        out.flush();
    }

    // ---- the steps ----

    private String bringUp() throws Exception {
        steps.say("builds the appliance and its image list, starts a private libvirtd, the worker node's pilot service,");
        steps.say("munge + slurmctld + slurmd (vmgrid's SPANK plugin), the CE's vmgrid serve (ARC state callout),");
        steps.say("A-REX + its LDAP infosys (slapd + bdii-update with vmgrid's provider), the Axis2 engine with vmgrid.mar");
        steps.say("before CREAM2's JobRegister stand-in, BLAH's hooks and their service; an ARC client with a proxy");
        site = DemoSite.start();
        creamPath = new CreamPath(site);
        ArcVmSite a = site.arc;
        written.addAll(List.of(a.shared, a.slurmDir, a.arc.settings().dir(), a.client.home(), site.rootOwned));
        hostKernel = RUN.runChecked(Command.of(Duration.ofSeconds(5), "uname", "-r")).stdoutText().strip();
        steps.say("appliance %s (image %s, guest kernel %s; host kernel %s)", IMAGE, a.appliance.uuid(),
                a.appliance.kernelRelease(), hostKernel);
        steps.say("ARC CE %s, LDAP infosys / site BDII %s, SLURM partition grid on node vmgridnode", a.arc.endpoint(),
                a.arc.ldapUrl());
        return "site up: ARC CE " + a.arc.endpoint() + ", BDII " + a.arc.ldapUrl() + ", SLURM, pilot service, CREAM path";
    }

    private String arcVmJob() throws Exception {
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
        vmJobs.add("ARC " + job.substring(job.lastIndexOf('/') + 1));
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

    private String creamVmJob() throws Exception {
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
        vmJobs.add("CREAM (SLURM job " + job.slurmId() + ")");
        check(job.hookLines().contains("--comment=vmgrid:image=" + site.arc.appliance.uuid()),
                "the hook did not make it a VM job: " + job.hookLines());
        check(state.equals("COMPLETED"), "SLURM job " + state + ": " + creamPath.batchOutput(job));
        check(stdout.equals(site.arc.appliance.kernelRelease()), "the command did not run in the guest: " + stdout
                + creamPath.batchOutput(job));
        check(result.equals("written in the VM") && notified.contains("ExitCode=0"), "result " + result + ", " + notified);
        return "reached SLURM as a VM job (" + job.slurmId() + "), ran in the VM (kernel " + stdout + ") beside step 1's, "
                + "wrapper's exit 0";
    }

    private String plainJobs() throws Exception {
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

    private String refusals() throws Exception {
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

    private String consumer() throws Exception {
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

    private String accounting() throws Exception {
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
        check(vmJobs.size() == 2, "the VM jobs did not both run: " + vmJobs);
        check(records.size() == vmJobs.size(), records.size() + " records for " + vmJobs.size() + " VM jobs " + vmJobs);
        for (String r : records) {
            check(r.contains("\"image\":\"" + uuid + "\"") && r.contains("\"exitCode\":0") && r.contains("\"user\":\""
                    + Unprivileged.POOL + "\""), "record: " + r);
        }
        return records.size() + " records (" + String.join(", ", vmJobs) + "): image, user, wall and CPU time, exit 0";
    }

    // ---- --keep ----

    private void keepRunning() throws InterruptedException {
        ArcVmSite a = site.arc;
        Path home = a.client.home();
        out.printf("%n== the site stays up (--keep)%n");
        out.printf("Submit to the ARC CE as the grid user: the test CA's user certificate (%s, CN=vmgrid tester),%n"
                + "its proxy %s, as the local user nobody:%n", home.resolve("usercert.pem"), home.resolve("proxy.pem"));
        String env = "setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/bin:/bin HOME=" + home
                + " X509_USER_PROXY=" + home.resolve("proxy.pem") + " X509_CERT_DIR=" + a.arc.settings().certificates()
                + " X509_VOMS_DIR=" + a.arc.settings().dir().resolve("vomsdir");
        out.printf("  %s arcsub -z %s -j %s -C %s -T arcrest %s/job.xrsl%n", env, home.resolve("client.conf"),
                home.resolve("jobs.dat"), a.arc.endpoint(), home);
        out.printf("  (a VM job: (runtimeenvironment=\"VMGRID/IMAGE/%s\"); then arcstat -l, arcget -D DIR, with the same%n"
                + "   env, -z and -j; the proxy lasts 12 hours)%n", IMAGE);
        out.printf("Query the site BDII: ldapsearch -x -LLL -H %s -b o=glue '(GLUE2ExecutionEnvironmentVirtualMachine=TRUE)'%n",
                a.arc.ldapUrl());
        out.printf("  or: %s find --bdii %s --image %s%n", ArcVmSite.VMGRID, a.arc.ldapUrl(), IMAGE);
        out.printf("SLURM: SLURM_CONF=%s squeue; the VM jobs' accounting: %s%n", a.slurm.conf(), a.site.accounting);
        out.printf("Stop it: Ctrl-C here (or kill -TERM %d): everything is stopped by PID and removed.%n",
                ProcessHandle.current().pid());
        out.flush();
        keeping = true;
        new CountDownLatch(1).await();
    }

    // ---- helpers ----

    /** Polls arcstat until a final state, saying each new state as it appears. */
    private CommandResult awaitArc(String job) throws InterruptedException {
        long deadline = System.nanoTime() + JOB.toNanos();
        String last = "";
        while (true) {
            CommandResult r = site.arc.client.arcstat(job);
            String state = ArcClient.state(r).orElse("(not yet known to the infosys)");
            if (List.of("Finished", "Failed", "Killed", "Deleted").contains(state)) {
                return r;
            }
            if (!state.equals(last)) {
                steps.progress("ARC job " + job.substring(job.lastIndexOf('/') + 1) + ": " + state);
                last = state;
            }
            check(System.nanoTime() < deadline, "job " + job + " reached no final state in " + JOB.toMinutes() + " min: "
                    + r.stdoutText());
            Thread.sleep(2000);
        }
    }

    /** Polls SLURM until the job ended, saying each new state as it appears. */
    private String awaitSlurm(String id) throws InterruptedException {
        long deadline = System.nanoTime() + JOB.toNanos();
        String last = "";
        while (true) {
            String state = site.arc.slurm.jobField(id, "JobState");
            if (List.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY").contains(state)) {
                return state;
            }
            if (!state.equals(last)) {
                steps.progress("SLURM job " + id + ": " + state);
                last = state;
            }
            check(System.nanoTime() < deadline, "SLURM job " + id + " did not end in " + JOB.toMinutes() + " min");
            Thread.sleep(1000);
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
