package org.vmgrid.batchhooks.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.Lrms;
import org.vmgrid.appliance.ApplianceBuilder;
import org.vmgrid.appliance.ApplianceSettings;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.batchhooks.cream.CreamJobWrapper;
import org.vmgrid.blahservice.BlahHookHarness;
import org.vmgrid.blahservice.BlahHookHarness.Blah;
import org.vmgrid.blahservice.HookAdmission;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.testing.LoopbackSlurm;
import org.vmgrid.testing.PrivateLibvirt;
import org.vmgrid.testing.TestSite;
import org.vmgrid.testing.Unprivileged;

/**
 * A CREAM job on a worker node, for real: the request file BLAH's unwinder wrote for an admitted VM
 * job (the contract's {@code admitted-fqan.req}, used as it is: the test site publishes the
 * appliance under the image UUID it names) through the CE's SLURM hook and its service as prelz
 * BLAH runs them, the hook's lines in the submit script BLAH's {@code slurm_submit.sh} writes around
 * a job wrapper of CREAM's shape ({@link CreamJobWrapper}), submitted as the pool account to a
 * loopback SLURM whose slurmd loads the SPANK plugin (built from {@code src/main/c}) with
 * {@code cream=} naming vmgrid's customization, installed by {@code vmgrid cream
 * install-customization}; the pilot service (as its own account) with a private system libvirtd
 * and the project's appliance. The wrapper stays on the host, where it stages, renews (nothing),
 * notifies and collects; the user's command runs in the VM. A plain CREAM job runs as before; a
 * CREAM VM job on a node without vmgrid's customization fails with the reason. The site's VO policy
 * lets dteam use the image; on the node the pool account {@code games} is dteam's and {@code news}
 * is cms's ({@code accounts.properties}), so the same admitted request runs as games and is refused
 * as news. One VM boot.
 */
class CreamJobWrapperIT {

    /** The image the contract's admitted request names. */
    static final String IMAGE = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    static final String JOB = "#!/bin/sh\nuname -r\nfor a in \"$@\"; do echo \"arg: $a\"; done\nread line\n"
            + "echo \"stdin: $line\"\ntr a-z A-Z < input.dat > output.dat\necho \"label $JOB_LABEL\"\necho to-stderr >&2\n"
            + "exit 7\n";
    private static final String SEQUENCE_CODE = "UI=000000:NS=0000000001:WM=000000";
    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();

    private static Path shared;
    private static Path rootOwned;
    private static Path slurmDir;
    private static BuiltAppliance appliance;
    private static PrivateLibvirt libvirt;
    private static LoopbackSlurm slurm;
    private static BlahHookHarness blah;
    private static PilotServiceProcess service;
    private static Path poolWork;
    /** A pool account of another VO (news, group news: an account of Debian's base-passwd) and its job directory. */
    static final String OTHER_POOL = "news";
    private static Path otherPoolWork;
    private static Path plugstack;
    private static String plugstackLine;
    private static Path customization;
    /** The pilot service's accounting file. */
    private static Path accounting;

    @BeforeAll
    static void startTheWorkerNodeAndTheCe() throws Exception {
        shared = Unprivileged.newDirectory("vmgrid-cream-it");
        ApplianceSettings settings = ApplianceSettings.defaults(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH)
                .withDebCache(Path.of(System.getProperty("vmgrid.deb.cache")));
        appliance = new ApplianceBuilder(RUN, settings).build(shared.resolve("appliance"));
        Path plugin = shared.resolve("vmgrid_spank.so");
        RUN.runChecked(Command.of(Duration.ofSeconds(120), "gcc", "-std=c11", "-D_GNU_SOURCE", "-Wall", "-Werror",
                "-O2", "-fPIC", "-shared", "-o", plugin.toString(), System.getProperty("vmgrid.spank.source"), "-lslurm"));
        libvirt = PrivateLibvirt.start(Unprivileged.GROUP);
        TestSite site = new TestSite(Files.createDirectories(shared.resolve("site")), libvirt.uri, 300,
                appliance.image().toUri(), IMAGE, appliance.size(), appliance.sha512());
        accounting = site.accounting;
        // the VO policy, and the node's pool accounts: games is dteam's (which may use the image), news is cms's
        Files.writeString(site.conf.resolve("policy.properties"), "vo.dteam.images = " + IMAGE + "\n");
        Files.writeString(site.conf.resolve("accounts.properties"), "group." + Unprivileged.POOL_GROUP + " = dteam\n"
                + "group." + OTHER_POOL + " = cms\n");
        Path socket = Files.createDirectories(shared.resolve("pilot-service")).resolve("pilot.sock");
        Files.writeString(site.conf.resolve("pilot.properties"), "service.socket = " + socket + "\n",
                StandardOpenOption.APPEND);
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = Unprivileged.readableClassPath(Files.createDirectories(shared.resolve("classpath")));
        // the distribution's cream-wrapper/, and the vmgrid command of the node
        Path home = Files.createDirectories(shared.resolve("vmgrid-home/cream-wrapper"));
        Path sources = Path.of(System.getProperty("vmgrid.cream.wrapper"));
        for (String f : List.of("cp_1.sh", "cp_2.sh")) {
            Files.copy(sources.resolve(f), home.resolve(f));
        }
        Path vmgrid = shared.resolve("vmgrid");
        Files.writeString(vmgrid, "#!/bin/sh\nVMGRID_CONF_DIR='" + site.conf + "' exec '" + java + "' -XX:-UsePerfData"
                + " --add-exports java.base/sun.nio.ch=ALL-UNNAMED -Dvmgrid.home='" + home.getParent() + "' -cp '"
                + classPath + "' org.vmgrid.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(vmgrid, PosixFilePermissions.fromString("rwxr-xr-x"));
        Unprivileged.own(shared);
        poolWork = Unprivileged.poolJobDirectory(shared, "pool-work");
        // BLAH makes its home for the job in the job's working directory: the service must search it
        Files.setPosixFilePermissions(poolWork, PosixFilePermissions.fromString("rwx--x--x"));
        otherPoolWork = Files.createDirectories(shared.resolve("other-pool-work"));
        RUN.runChecked(Command.of(Duration.ofSeconds(10), "chown", OTHER_POOL + ":" + OTHER_POOL, otherPoolWork.toString()));
        Files.setPosixFilePermissions(otherPoolWork, PosixFilePermissions.fromString("rwx--x--x"));

        // the node's GLITE_LOCAL_CUSTOMIZATION_DIR, root's, and a site customization that is not vmgrid's
        rootOwned = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-cream-root");
        Files.setPosixFilePermissions(rootOwned, PosixFilePermissions.fromString("rwxr-xr-x"));
        customization = Files.createDirectories(rootOwned.resolve("customization"));
        CommandResult install = RUN.run(Command.of(Duration.ofSeconds(120), vmgrid.toString(), "cream",
                "install-customization", "--dir", customization.toString(), "--launcher", vmgrid.toString()));
        assertEquals(0, install.exitCode(), install.stderrText());
        Path siteOwn = Files.createDirectories(rootOwned.resolve("site-customization"));
        Files.writeString(siteOwn.resolve("cp_1.sh"), "# the site's own: runs the command where it is\n");
        Files.writeString(siteOwn.resolve("cp_2.sh"), "# the site's own\n");

        plugstack = shared.resolve("plugstack.conf");
        plugstackLine = "required " + plugin + " vmgrid=" + vmgrid + " service=" + socket;
        writePlugstack(plugstackLine + " cream=" + customization);
        slurmDir = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-cream-slurm");
        slurm = new LoopbackSlurm(slurmDir, plugstack);
        SiteConfig config = SiteConfig.load(site.conf);
        blah = new BlahHookHarness(Files.createDirectories(rootOwned.resolve("blah")), HookAdmission.forSite(config,
                new CatalogLoader(Clock.systemUTC()).load(CatalogSources.from(config.images())), Clock.systemUTC()));
        service = PilotServiceProcess.start(java, classPath, site.conf, socket, shared,
                shared.resolve("pilot-service.log"));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (service != null) {
                service.close();
            }
            if (blah != null) {
                blah.close();
            }
            if (slurm != null) {
                slurm.close();
            }
        } finally {
            try {
                if (libvirt != null) {
                    libvirt.close();
                }
            } finally {
                Unprivileged.deleteTree(slurmDir);
                Unprivileged.deleteTree(rootOwned);
                Unprivileged.deleteTree(shared);
            }
        }
    }

    /** A request file BLAH's own unwinder wrote (ce-plugin/blah-service's contract), as it is. */
    private static String contract(String name) throws IOException {
        try (InputStream in = CreamJobWrapperIT.class.getResourceAsStream("/blah-requests/contract/" + name + ".req")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The CE's sandbox of one job: the wrapper CREAM wrote and the input files, the pool account's. */
    private static Path ceSandbox(String name, CreamJobWrapper wrapper, Path wrapperFile, String account)
            throws IOException {
        Path ce = Files.createDirectories(shared.resolve("ce/" + name));
        Files.createDirectories(ce.resolve("input"));
        Files.createDirectories(ce.resolve("output"));
        Files.writeString(ce.resolve("input/job.sh"), JOB);
        Files.writeString(ce.resolve("input/in.txt"), "a line for stdin\n");
        Files.writeString(ce.resolve("input/input.dat"), "staged by the wrapper\n");
        Files.writeString(wrapperFile, wrapper.render(ce));
        Files.setPosixFilePermissions(wrapperFile, PosixFilePermissions.fromString("rwxr-xr-x"));
        RUN.runChecked(Command.of(Duration.ofSeconds(10), "chown", "-R", account + ":" + account, ce.toString()));
        return ce;
    }

    private static CreamJobWrapper wrapper(String creamJobId) {
        return new CreamJobWrapper(creamJobId, "job.sh", "one \"two words\"", "in.txt", "std.out", "std.err")
                .env("JOB_LABEL", "cream-vm").input("job.sh").input("in.txt").input("input.dat").output("std.out")
                .output("std.err").output("output.dat");
    }

    /** What BLAH does for one CREAM job: the hook after the request file, the submit script, sbatch as the pool account. */
    private static Submitted submit(String name, String requestFile) throws IOException {
        return submit(name, requestFile, Unprivileged.POOL, poolWork);
    }

    /** As {@link #submit(String, String)} for the pool account {@code account} in its job directory {@code work}. */
    private static Submitted submit(String name, String requestFile, String account, Path work) throws IOException {
        String creamJobId = "CREAM" + Math.abs(name.hashCode());
        CreamJobWrapper w = wrapper(creamJobId);
        Path ce = shared.resolve("ce/" + name);
        Path wrapperFile = ce.resolve(creamJobId + "_jobWrapper.sh");
        Files.createDirectories(ce);
        ceSandbox(name, w, wrapperFile, account);
        BlahHookHarness.HookRun hook = blah.run(Blah.PRELZ_SH_IS_BASH, Lrms.SLURM, requestFile);
        Path script = work.resolve(name + ".sh");
        Files.writeString(script, BlahHookHarness.slurmSubmitScript(Blah.PRELZ_SH_IS_BASH, name, hook.stdout(),
                work.resolve(name + ".out").toString(), wrapperFile, SEQUENCE_CODE));
        // the worker node's environment names the customization directory, as its profile would
        CommandResult r = slurm.slurmWithEnv(List.of("PATH=/usr/bin:/bin", "HOME=" + work,
                "GLITE_LOCAL_CUSTOMIZATION_DIR=" + customization), "sbatch", "--parsable", "--uid=" + account,
                "--gid=" + account, "-D", work.toString(), script.toString());
        assertEquals(0, r.exitCode(), r.stderrText());
        return new Submitted(r.stdoutText().strip(), hook.stdout(), ce, work.resolve(name + ".out"),
                work.resolve("home_" + name + "/" + creamJobId));
    }

    /** One submitted job: its SLURM id, the hook's lines, the CE's sandbox, its batch output, the wrapper's workdir. */
    record Submitted(String id, String hookLines, Path ce, Path batchOutputFile, Path workdir) {
        String file(String relative) {
            return read(ce.resolve(relative));
        }

        String batchOutput() {
            return read(batchOutputFile);
        }

        private static String read(Path p) {
            try {
                return Files.exists(p) ? Files.readString(p) : "";
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void aVmJobsCommandRunsInTheVmAndItsWrapperOnTheHost() throws Exception {
        Submitted job = submit("vm", contract("admitted-fqan"));
        assertTrue(job.hookLines().contains("#SBATCH --comment=vmgrid:image=" + IMAGE + ",mem=2048,cpus=2,net=none\n"),
                job.hookLines());
        assertTrue(job.hookLines().contains("#SBATCH --export=ALL,VMGRID_JOB_WRAPPER=cream\n"), job.hookLines());
        assertEquals("COMPLETED", slurm.awaitEnd(job.id(), Duration.ofMinutes(10)), () -> job.batchOutput() + service.log());
        String out = job.batchOutput();
        // the user's command: in the guest, its stdin and input file staged by the wrapper, its exit code the wrapper's
        List<String> stdout = job.file("output/std.out").lines().toList();
        assertEquals(List.of(appliance.kernelRelease(), "arg: one", "arg: two words", "stdin: a line for stdin",
                "label cream-vm"), stdout, out + service.log());
        assertEquals("to-stderr\n", job.file("output/std.err"));
        assertEquals("STAGED BY THE WRAPPER\n", job.file("output/output.dat"), "written in the guest, collected by the "
                + "wrapper");
        assertEquals("JobStatus=2;\nJobStatus=11;\nJobStatus=4;Reason=\"reason=0\";ExitCode=7;\n",
                job.file("notifications"));
        assertTrue(out.contains("job exit status = 7\n"), out);
        // the wrapper's own steps ran on the host
        assertHostMarks(job, List.of("staged job.sh", "staged in.txt", "staged input.dat", "proxy renewal",
                "uploaded std.out", "uploaded std.err", "uploaded output.dat"));
        // through the pilot service, as the pool account, with the wrapper's working directory
        Pattern started = Pattern.compile("vmgrid pilot service: job \\S+ of " + Unprivileged.POOL + ": image " + IMAGE
                + ", workdir " + Pattern.quote(job.workdir().toString()) + "$");
        assertEquals(1, service.lines(started).size(), service.log());
        service.awaitLine(Pattern.compile("vmgrid pilot service: job \\S+ of " + Unprivileged.POOL + " ended: exit 7\\b"),
                Duration.ofSeconds(60));
        // the pilot's accounting record names CREAM's job (the wrapper's __creamjobid)
        String creamJob = "https://ce.example.org:8443/" + job.workdir().getFileName();
        List<String> records = Files.readAllLines(accounting).stream()
                .filter(l -> l.contains("\"ceJob\":\"" + creamJob + "\"")).toList();
        assertEquals(1, records.size(), "one record of " + creamJob + ": " + Files.readString(accounting));
        assertTrue(records.get(0).contains("\"exitCode\":7,"), records.get(0));
        assertEquals(List.of(), libvirt.domains(), "no domain left behind");
    }

    /**
     * The VO on the node is the one of the pool account the job runs as, never the one its request
     * names: the same admitted request of VO dteam (the contract's), submitted as news, a pool
     * account of cms (its group, accounts.properties), is refused by the pilot service with the
     * reason, which the wrapper reports to CREAM; no VM is started, the command never runs.
     */
    @Test
    void aPoolAccountOfAVoTheImageIsNotAllowedIsRefusedOnTheNodeWithTheReason() throws Exception {
        Submitted job = submit("othervo", contract("admitted-fqan"), OTHER_POOL, otherPoolWork);
        assertTrue(job.hookLines().contains("#SBATCH --comment=vmgrid:image=" + IMAGE), "the CE admitted it as dteam's: "
                + job.hookLines());
        assertEquals("FAILED", slurm.awaitEnd(job.id(), Duration.ofMinutes(3)), () -> job.batchOutput() + service.log());
        assertEquals("1:0", slurm.jobField(job.id(), "ExitCode"), "the wrapper's fatal_error");
        String notifications = job.file("notifications");
        assertTrue(notifications.contains("JobStatus=4; Reason=\"vmgrid: the job's command did not run to its end in its VM"
                + " (exit 64): VO cms may use no VM image at this site"), notifications + job.batchOutput());
        assertEquals("", job.file("output/std.out"), "the command never ran");
        assertEquals(1, service.lines(Pattern.compile("vmgrid pilot service: refused a job of " + OTHER_POOL
                + ": VO cms may use no VM image at this site")).size(), service.log());
        assertEquals(List.of(), service.lines(Pattern.compile("vmgrid pilot service: job \\S+ of " + OTHER_POOL)),
                "no job of news started");
        assertEquals(List.of(), libvirt.domains());
    }

    @Test
    void aPlainCreamJobRunsAsBefore() throws Exception {
        Submitted job = submit("plain", contract("plain-glue-min"));
        assertEquals("", job.hookLines());
        assertEquals("COMPLETED", slurm.awaitEnd(job.id(), Duration.ofMinutes(3)), job::batchOutput);
        assertEquals(List.of(hostKernel(), "arg: one", "arg: two words", "stdin: a line for stdin", "label cream-vm"),
                job.file("output/std.out").lines().toList(), job.batchOutput());
        assertEquals("STAGED BY THE WRAPPER\n", job.file("output/output.dat"));
        assertEquals("JobStatus=2;\nJobStatus=11;\nJobStatus=4;Reason=\"reason=0\";ExitCode=7;\n",
                job.file("notifications"));
        assertHostMarks(job, List.of("staged job.sh", "proxy renewal", "uploaded std.out"));
        assertEquals(List.of(), service.lines(Pattern.compile(Pattern.quote(job.workdir().toString()))),
                "the pilot service was not asked");
    }

    @Test
    void aCreamVmJobOnANodeWithoutVmgridsCustomizationFailsWithTheReasonAndNothingRuns() throws Exception {
        Submitted none = withPlugstack(plugstackLine, () -> {
            Submitted job = submit("nocustom", contract("admitted"));
            assertEquals("FAILED", slurm.awaitEnd(job.id(), Duration.ofMinutes(3)), job::batchOutput);
            return job;
        });
        assertTrue(none.batchOutput().contains("vmgrid: job " + none.id() + ": it runs CREAM's job wrapper, but this "
                + "node's plugstack.conf names no cream= directory with vmgrid's customization of it; the job is not run"),
                none.batchOutput());
        assertEquals("", none.file("notifications"), "the wrapper never ran");
        assertEquals("", none.file("marks"));

        Path siteOwn = rootOwned.resolve("site-customization");
        Submitted other = withPlugstack(plugstackLine + " cream=" + siteOwn, () -> {
            Submitted job = submit("othercustom", contract("admitted"));
            assertEquals("FAILED", slurm.awaitEnd(job.id(), Duration.ofMinutes(3)), job::batchOutput);
            return job;
        });
        assertTrue(other.batchOutput().contains("vmgrid: job " + other.id() + ": it runs CREAM's job wrapper, but "
                + siteOwn.resolve("cp_1.sh") + " is not vmgrid's customization of CREAM's job wrapper; install vmgrid's "
                + "customization (vmgrid cream install-customization); the job is not run"), other.batchOutput());
        assertEquals("", other.file("notifications"), "the wrapper never ran");
        assertEquals(List.of(), libvirt.domains());
    }

    private static void assertHostMarks(Submitted job, List<String> steps) throws IOException {
        String host = hostKernel();
        List<String> marks = job.file("marks").lines().toList();
        for (String step : steps) {
            assertTrue(marks.contains(step + " " + host), step + " on the host: " + marks);
        }
        assertFalse(marks.stream().anyMatch(m -> m.endsWith(" " + appliance.kernelRelease())), marks.toString());
    }

    /** Runs {@code jobs} with plugstack.conf holding {@code line}, then puts the node's line back. */
    private static <T> T withPlugstack(String line, Callable<T> jobs) throws Exception {
        writePlugstack(line);
        try {
            return jobs.call();
        } finally {
            writePlugstack(plugstackLine + " cream=" + customization);
        }
    }

    /** Replaces plugstack.conf at once: slurmstepd reads it as each job starts. */
    private static void writePlugstack(String line) throws IOException {
        Path next = plugstack.resolveSibling("plugstack.conf.next");
        Files.writeString(next, line + "\n");
        Files.move(next, plugstack, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String hostKernel() {
        return RUN.runChecked(Command.of(Duration.ofSeconds(5), "uname", "-r")).stdoutText().strip();
    }
}
