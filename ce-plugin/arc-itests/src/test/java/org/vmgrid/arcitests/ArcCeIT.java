package org.vmgrid.arcitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.ArcClient;
import org.vmgrid.testing.LoopbackArc;
import org.vmgrid.testing.LoopbackSlurm;
import org.vmgrid.testing.PilotService;
import org.vmgrid.testing.PrivateLibvirt;
import org.vmgrid.testing.TestSite;
import org.vmgrid.testing.Unprivileged;

/**
 * ARC's own client against ARC's own CE, with vmgrid plugged in as a site installs it
 * ({@link ArcVmSite}: A-REX and its LDAP infosys, the loopback SLURM, a worker node's pilot service
 * and a real VM). One bring-up for every case; jobs are submitted by {@code nobody} with a proxy of
 * the test CA's user certificate.
 */
class ArcCeIT {

    static final String ALIAS = ArcVmSite.ALIAS;
    private static final Duration JOB = Duration.ofMinutes(6);
    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();

    private static ArcVmSite ce;
    private static BuiltAppliance appliance;
    private static PrivateLibvirt libvirt;
    private static TestSite site;
    private static PilotService pilot;
    private static LoopbackSlurm slurm;
    private static LoopbackArc arc;
    private static ArcClient client;

    @BeforeAll
    static void startTheSite() throws Exception {
        ce = ArcVmSite.start();
        appliance = ce.appliance;
        libvirt = ce.libvirt;
        site = ce.site;
        pilot = ce.pilot;
        slurm = ce.slurm;
        arc = ce.arc;
        client = ce.client;
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (ce != null) {
            ce.close();
        }
    }

    @AfterEach
    void nothingLeftOnTheWorkerNode() throws Exception {
        assertEquals(List.of(), libvirt.domains(), "no domain left behind");
        if (Files.exists(site.state)) {
            try (Stream<Path> s = Files.list(site.state)) {
                assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().startsWith(".")).toList(),
                        "no job directory (overlay, ISOs) left behind");
            }
        }
        assertTrue(pilot.isAlive(), "the pilot service went away: " + pilot.log());
    }

    @Test
    void aPlainJobRunsThroughSlurmAndComesBackWithArcget() throws Exception {
        String job = client.submit("plain", """
                &(executable="/bin/sh")(arguments="-c" "echo plain on $(uname -r); id -un; echo made > out.txt; exit 0")
                 (stdout="stdout.txt")(stderr="stderr.txt")(outputfiles=("out.txt" ""))
                 (walltime="10 minutes")(memory="256")(jobname="vmgrid plain")
                """);
        CommandResult stat = client.awaitFinalState(job, JOB);
        assertEquals(Optional.of("Finished"), ArcClient.state(stat), stat.stdoutText() + client.arccatLog(job).stdoutText());
        CommandResult get = client.arcget(job);
        assertEquals(0, get.exitCode(), get.stdoutText() + get.stderrText());
        Path files = client.downloaded(job);
        List<String> out = Files.readAllLines(files.resolve("stdout.txt"));
        assertEquals(List.of("plain on " + hostKernel(), Unprivileged.POOL), out, "ran on the host as the mapped account");
        assertEquals("made\n", Files.readString(files.resolve("out.txt")));
    }

    @Test
    void aVmJobRunsItsPayloadInTheVmAndComesBackAsThePlainJobWould() throws Exception {
        Path marker = Path.of("/tmp", "vmgrid-arc-it-marker-" + System.nanoTime());
        // no backslash in the payload: for a plain job ARC passes each argument through dash's echo, which
        // turns \n into a newline and then cuts the line after it (the VM job gets joboption_arg_N exactly)
        String payload = "(executable=\"/bin/sh\")(arguments=\"-c\" \"uname -r; echo made-in-guest > out.txt; "
                + "echo \"\"$1\"\"; exit 3\" \"sh\" \"%s\")(stdout=\"stdout.txt\")(stderr=\"stderr.txt\")"
                + "(outputfiles=(\"out.txt\" \"\"))(walltime=\"20 minutes\")";
        String vmJob = client.submit("vm", "&" + payload.formatted("$(touch " + marker + ")")
                + "(runtimeenvironment=\"VMGRID/IMAGE/" + ALIAS + "\")"
                + "(runtimeenvironment=\"ENV/VMGRID\" \"memory=192\" \"cpus=1\" \"network=none\")");
        String plainJob = client.submit("same-payload", "&" + payload.formatted("plain"));

        CommandResult vm = client.awaitFinalState(vmJob, JOB);
        CommandResult plain = client.awaitFinalState(plainJob, JOB);
        assertTrue(plain.stdoutText().contains("Exit Code: 3"), plain.stdoutText());
        assertEquals(ArcClient.state(plain), ArcClient.state(vm), "the VM job ends as the same payload does without a VM: "
                + vm.stdoutText() + client.arccatLog(vmJob).stdoutText() + pilot.log());
        assertTrue(vm.stdoutText().contains("Exit Code: 3"), vm.stdoutText());

        CommandResult get = client.arcget(vmJob);
        assertEquals(0, get.exitCode(), get.stdoutText() + get.stderrText());
        Path files = client.downloaded(vmJob);
        List<String> out = Files.readAllLines(files.resolve("stdout.txt"));
        assertEquals(List.of(appliance.kernelRelease(), "$(touch " + marker + ")"), out,
                "the payload ran in the guest and got its argument literally; stderr: "
                        + Files.readString(files.resolve("stderr.txt")));
        assertNotEquals(hostKernel(), appliance.kernelRelease(), "the payload must not have run on the host");
        assertFalse(Files.exists(marker), "nothing of the job's arguments ran on the host");
        assertEquals("made-in-guest\n", Files.readString(files.resolve("out.txt")));
        assertTrue(pilot.log().contains("of " + Unprivileged.POOL + ": image " + appliance.uuid() + ", workdir "
                + arc.settings().session()), "the pilot service ran it in the job's session directory: " + pilot.log());
        // the pilot's accounting record names ARC's job (GRID_GLOBAL_JOBID: the id arcsub's job URL ends in)
        String arcId = vmJob.substring(vmJob.lastIndexOf('/') + 1);
        List<String> records = awaitAccountingRecords("\"ceJob\":\"" + arcId + "\"");
        assertEquals(1, records.size(), "one record of the VM job " + vmJob + ": " + records);
        assertTrue(records.get(0).contains("\"exitCode\":3,") && records.get(0).contains("\"image\":\""
                + appliance.uuid() + "\"") && records.get(0).contains("\"user\":\"" + Unprivileged.POOL + "\""),
                records.get(0));
        // ... and ARC's own accounting knows the job by that id, as a VM job of the image (ACCOUNTING_WN_INSTANCE)
        CommandResult aar = awaitArcAccounting(arcId);
        assertTrue(aar.stdoutText().contains(arcId) && aar.stdoutText().contains("vmgrid:" + appliance.uuid()),
                aar.stdoutText());

        String batch = slurm.slurm("scontrol", "-o", "show", "job").stdoutText();
        List<String> vmBatch = batch.lines().filter(l -> l.contains("Features=vmgrid")).toList();
        assertEquals(1, vmBatch.size(), "one batch job asked for a VM node: " + batch);
        assertTrue(vmBatch.get(0).contains("MinMemoryCPU=448M") && vmBatch.get(0).contains("NumCPUs=1")
                && vmBatch.get(0).contains("vmslot"), "192 MiB guest + 256 MiB overhead, one CPU, a VM slot: " + vmBatch);
        assertFalse(vmBatch.get(0).contains("Comment=vmgrid"), "an ARC VM job carries no SPANK comment: " + vmBatch);
    }

    @Test
    void badVmRequestsFailWithVmgridsReasonInArcstatAndNeverStartAVm() throws Exception {
        int jobsBefore = pilotJobs();
        String tooLarge = client.submit("too-large", "&(executable=\"/bin/true\")"
                + "(runtimeenvironment=\"VMGRID/IMAGE/" + appliance.uuid() + "\")"
                + "(runtimeenvironment=\"ENV/VMGRID\" \"memory=65536\")");
        // a user's client brokers on the runtime environments the CE publishes; without brokering the CE decides
        CommandResult brokered = client.trySubmit("unknown-brokered", "&(executable=\"/bin/true\")"
                + "(runtimeenvironment=\"VMGRID/IMAGE/windows-xp\")");
        assertNotEquals(0, brokered.exitCode(), "ARC's broker finds no CE offering the image: " + brokered.stdoutText());
        CommandResult direct = client.trySubmit("unknown", "&(executable=\"/bin/true\")"
                + "(runtimeenvironment=\"VMGRID/IMAGE/windows-xp\")", "-Q", "NONE");
        assertEquals(0, direct.exitCode(), direct.stdoutText() + direct.stderrText());
        String unknown = direct.stdoutText().replaceAll("(?s).*Job submitted with jobid: (\\S+).*", "$1");

        CommandResult a = client.awaitFinalState(tooLarge, JOB);
        assertEquals(Optional.of("Failed"), ArcClient.state(a), a.stdoutText());
        assertTrue(a.stdoutText().contains("Job Error: Plugin at state PREPARING failed: FAILED : vmgrid: VM request "
                + "refused: ENV/VMGRID memory = 65536 MiB is outside what this site allows (96 to 4096 MiB); ask for at most 4096"),
                a.stdoutText());
        CommandResult b = client.awaitFinalState(unknown, JOB);
        assertEquals(Optional.of("Failed"), ArcClient.state(b), b.stdoutText());
        assertTrue(b.stdoutText().contains("vmgrid: VM request refused: runtime environment VMGRID/IMAGE/windows-xp "
                + "names image windows-xp, which this site cannot run"), b.stdoutText());
        assertEquals(jobsBefore, pilotJobs(), "no VM was started for a refused job: " + pilot.log());
        String tooLargeId = tooLarge.substring(tooLarge.lastIndexOf('/') + 1);
        assertTrue(ce.ceService.stderr().contains("vmgrid ARC state callout service: job " + tooLargeId + ": refused: "
                + "vmgrid: VM request refused: ENV/VMGRID memory = 65536"), "the CE's resident service decided: " + ce.ceService.stderr());
    }

    @Test
    void rteSyncFollowsTheSitesAliasesThroughArcctl() throws Exception {
        Path images = ce.ceConf.resolve("images.properties");
        String before = Files.readString(images);
        try {
            Files.writeString(images, before + "alias.extra-alias = " + appliance.uuid() + "\n");
            assertEquals(0, sync().exitCode());
            assertTrue(enabled().contains("VMGRID/IMAGE/extra-alias"), "a new alias is offered: " + enabled());
            Files.writeString(images, before);
            CommandResult gone = sync();
            assertEquals(0, gone.exitCode(), gone.stderrText());
            assertTrue(gone.stdoutText().contains("removed: VMGRID/IMAGE/extra-alias"), gone.stdoutText());
            assertFalse(enabled().contains("VMGRID/IMAGE/extra-alias"), "an alias the site dropped is withdrawn");
            assertFalse(Files.exists(arc.settings().runtime().resolve("VMGRID/IMAGE/extra-alias")));
            assertTrue(enabled().contains("VMGRID/IMAGE/" + ALIAS), "the other runtime environments stay: " + enabled());
        } finally {
            Files.writeString(images, before);
        }
    }

    private static CommandResult sync() {
        return vmgrid("arc", "rte", "sync", "--config-dir", ce.ceConf.toString(), "--arc-config",
                arc.settings().arcConf().toString(), "--arcctl", arc.arcctl().toString(), "--vmgrid",
                ArcVmSite.VMGRID.toString(), "--pilot-socket", pilot.socket().toString());
    }

    private static List<String> enabled() {
        return arc.arcctl("rte", "list", "--enabled").stdoutText().lines().map(String::strip).toList();
    }

    @Test
    void theImagesAndTheVmCapabilityArePublishedAndVmgridFindFindsTheCe() throws Exception {
        String uuid = appliance.uuid().toString();
        String image = "(&(objectClass=GLUE2ApplicationEnvironment)(GLUE2ApplicationEnvironmentAppName=VM-IMAGE-" + uuid
                + "))";
        awaitLdap(image, "GLUE2EntityOtherInfo: ImageEndorser=unsigned");
        String entry = ldapsearch(image);
        for (String line : List.of("GLUE2ApplicationEnvironmentAppVersion: 1", "GLUE2ApplicationEnvironmentDescription: "
                + "appliance", "GLUE2EntityOtherInfo: ImageSHA512=" + appliance.sha512(),
                "GLUE2EntityOtherInfo: RuntimeEnvironment=VMGRID/IMAGE/" + uuid,
                "GLUE2EntityOtherInfo: RuntimeEnvironment=VMGRID/IMAGE/" + ALIAS, "GLUE2EntityOtherInfo: ImageAlias=" + ALIAS,
                "GLUE2ApplicationEnvironmentComputingManagerForeignKey: urn:ogf:ComputingManager:localhost:slurm")) {
            assertTrue(entry.contains("\n" + line + "\n"), line + " in " + entry);
        }
        // A-REX's own: every enabled runtime environment (a name ending in -<digit> is split into name and version)
        assertTrue(ldapsearch("(&(objectClass=GLUE2ApplicationEnvironment)(GLUE2ApplicationEnvironmentAppName=ENV/VMGRID))")
                .contains("GLUE2ApplicationEnvironmentID: urn:ogf:ApplicationEnvironment:localhost:rte:"));
        assertTrue(ldapsearch("(&(objectClass=GLUE2ApplicationEnvironment)(GLUE2ApplicationEnvironmentAppName=VMGRID/IMAGE/"
                + "debian)(GLUE2ApplicationEnvironmentAppVersion=12))").contains("dn: "));
        awaitLdap("(&(objectClass=GLUE2ComputingService)(GLUE2ServiceCapability=executionmanagement.dynamicvmdeploy))",
                "GLUE2ServiceID: urn:ogf:ComputingService:localhost:arex");
        assertTrue(ldapsearch("(&(objectClass=GLUE2ExecutionEnvironment)(GLUE2ExecutionEnvironmentVirtualMachine=TRUE))")
                .contains("GLUE2ResourceID: urn:ogf:ExecutionEnvironment:localhost:vmgrid"));

        CommandResult find = vmgrid("find", "--bdii", arc.ldapUrl(), "--image", ALIAS);
        assertEquals(0, find.exitCode(), find.stderrText());
        assertTrue(find.stdoutText().contains("https://localhost:" + arc.settings().wsPort() + "/arex")
                && find.stdoutText().contains(uuid), "vmgrid find finds the ARC CE and its image: " + find.stdoutText());
        List<String> bad = Files.readAllLines(arc.settings().infosys().resolve("bdii-log/bdii-update.log")).stream()
                .filter(l -> l.contains("[ERROR]") || l.contains("[WARNING]")).toList();
        assertEquals(List.of(), bad, "bdii-update took every entry");
    }

    // ---- helpers ----

    private static String ldapsearch(String filter) {
        return RUN.runChecked(Command.of(Duration.ofSeconds(30), "ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no", "-H",
                arc.ldapUrl(), "-b", "o=glue", filter)).stdoutText();
    }

    private static void awaitLdap(String filter, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!ldapsearch(filter).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the infosys never published " + text + " for " + filter + "; bdii-update: "
                        + arc.settings().infosys().resolve("bdii-log/bdii-update.log"));
            }
            Thread.sleep(2000);
        }
    }

    /** The lines of the worker node's accounting file that contain {@code text}, once there is one (bounded). */
    private static List<String> awaitAccountingRecords(String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            List<String> lines = Files.exists(site.accounting) ? Files.readAllLines(site.accounting) : List.of();
            List<String> found = lines.stream().filter(l -> l.contains(text)).toList();
            if (!found.isEmpty() || System.nanoTime() > deadline) {
                assertFalse(found.isEmpty(), "no accounting record contains " + text + ": " + lines);
                return found;
            }
            Thread.sleep(500);
        }
    }

    /** ARC's accounting record of the job {@code arcId} ({@code arcctl accounting job info}), once A-REX wrote it (bounded). */
    private static CommandResult awaitArcAccounting(String arcId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            CommandResult r = arc.arcctl("accounting", "job", "info", arcId);
            if (r.exitCode() == 0 && r.stdoutText().contains(arcId) || System.nanoTime() > deadline) {
                assertEquals(0, r.exitCode(), "ARC has no accounting record of job " + arcId + ": " + r.stdoutText()
                        + r.stderrText());
                return r;
            }
            Thread.sleep(1000);
        }
    }

    private static int pilotJobs() {
        return ce.pilotJobs();
    }

    private static CommandResult vmgrid(String... args) {
        return ArcVmSite.vmgrid(args);
    }

    private static String hostKernel() {
        return RUN.runChecked(Command.of(Duration.ofSeconds(5), "uname", "-r")).stdoutText().strip();
    }
}
