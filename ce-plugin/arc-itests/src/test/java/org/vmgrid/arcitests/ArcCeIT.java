package org.vmgrid.arcitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vmgrid.appliance.ApplianceBuilder;
import org.vmgrid.appliance.ApplianceSettings;
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
 * ARC's own client against ARC's own CE, with vmgrid plugged in as a site installs it: A-REX and
 * its LDAP infosys on loopback, the loopback SLURM as batch system, vmgrid's state callout in
 * arc.conf and its runtime environments written and enabled by {@code vmgrid arc rte sync}, and a
 * worker node whose pilot service ({@code vmgrid serve}) boots the project's appliance in a private
 * libvirtd. One bring-up for every case. Jobs are submitted by {@code nobody} with a proxy of the
 * test CA's user certificate; every grid user is mapped to the account the pilot service and
 * libvirt run as (ARC's session directories are 0700, owned by the mapped user).
 */
class ArcCeIT {

    static final Path ROOT = Path.of(System.getProperty("vmgrid.root")).toAbsolutePath().normalize();
    static final Path VMGRID = ROOT.resolve("vmgrid");
    static final Path DIST = ROOT.resolve("bundles/runtime/target/vmgrid");
    /** An alias ending in -<digit>: ARC's client splits such names into name and version (ADL), A-REX joins them. */
    static final String ALIAS = "debian-12";
    private static final Duration JOB = Duration.ofMinutes(6);
    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();

    private static Path shared;
    private static Path slurmDir;
    private static BuiltAppliance appliance;
    private static PrivateLibvirt libvirt;
    private static TestSite site;
    private static PilotService pilot;
    private static LoopbackSlurm slurm;
    private static LoopbackArc arc;
    private static ArcClient client;

    @BeforeAll
    static void startTheSite() throws Exception {
        assertTrue(Files.isRegularFile(DIST.resolve("lib/vmgrid-cli.jar")), "no distribution at " + DIST
                + ": assemble it first (mvn package -pl bundles/runtime -am)");
        shared = Unprivileged.newDirectory("vmgrid-arc-it");
        ApplianceSettings settings = ApplianceSettings.defaults(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH)
                .withDebCache(Path.of(System.getProperty("vmgrid.deb.cache")));
        appliance = new ApplianceBuilder(RUN, settings).build(shared.resolve("appliance"));
        libvirt = PrivateLibvirt.start();
        site = new TestSite(Files.createDirectories(shared.resolve("site")), libvirt.uri, 300, appliance.image().toUri(),
                appliance.uuid().toString(), appliance.size(), appliance.sha512());
        Files.writeString(site.conf.resolve("images.properties"), "alias." + ALIAS + " = " + appliance.uuid() + "\n",
                StandardOpenOption.APPEND);
        pilot = PilotService.start(VMGRID, site, Files.createDirectories(shared.resolve("pilot")));

        slurmDir = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-arc-slurm");
        slurm = new LoopbackSlurm(slurmDir);
        String callout = "PREPARING timeout=120,onsuccess=pass,onfailure=fail,ontimeout=fail /bin/sh "
                + DIST.resolve("arc/vmgrid-arc-statecallout") + " %C %I --vmgrid " + VMGRID + " --config-dir " + site.conf;
        arc = LoopbackArc.start(Files.createTempDirectory(Path.of("/tmp"), "vmgrid-arc-ce"), slurm,
                Unprivileged.USER + ":" + Unprivileged.GROUP, Optional.of(callout));
        // the CE as vmgrid's configuration names it: ARC's hostname and REST port
        Files.writeString(site.conf.resolve("site.properties"), "site.name = VMGRID-IT\nce.host = localhost\nce.port = "
                + arc.settings().wsPort() + "\nlrms = slurm\n");
        installGip(arc.settings().bdiiTmp().resolve("provider/vmgrid-arc"), "vmgrid-arc-info-provider");
        installGip(arc.settings().bdiiTmp().resolve("plugin/vmgrid-arc"), "vmgrid-arc-info-plugin");
        CommandResult sync = vmgrid("arc", "rte", "sync", "--config-dir", site.conf.toString(), "--arc-config",
                arc.settings().arcConf().toString(), "--arcctl", arc.arcctl().toString(), "--vmgrid", VMGRID.toString());
        assertEquals(0, sync.exitCode(), sync.stdoutText() + sync.stderrText());
        arc.awaitPublished("ENV/VMGRID", Duration.ofMinutes(1));
        client = ArcClient.withProxy(arc, Files.createTempDirectory(Path.of("/tmp"), "vmgrid-arc-client"), "nobody",
                "nogroup");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (arc != null) {
                arc.close();
            }
        } finally {
            try {
                if (slurm != null) {
                    slurm.close();
                }
            } finally {
                try {
                    if (pilot != null) {
                        pilot.close();
                    }
                } finally {
                    try {
                        if (libvirt != null) {
                            libvirt.close();
                        }
                    } finally {
                        Unprivileged.deleteTree(slurmDir);
                        Unprivileged.deleteTree(shared);
                        if (client != null) {
                            Unprivileged.deleteTree(client.home());
                        }
                    }
                }
            }
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
        assertEquals(List.of("plain on " + hostKernel(), Unprivileged.USER), out, "ran on the host as the mapped account");
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
        assertTrue(pilot.log().contains("of " + Unprivileged.USER + ": image " + appliance.uuid() + ", workdir "
                + arc.settings().session()), "the pilot service ran it in the job's session directory: " + pilot.log());

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
                + "refused: memory 65536 MiB is outside what this site allows (96 to 4096 MiB); ask for at most 4096"),
                a.stdoutText());
        CommandResult b = client.awaitFinalState(unknown, JOB);
        assertEquals(Optional.of("Failed"), ArcClient.state(b), b.stdoutText());
        assertTrue(b.stdoutText().contains("vmgrid: VM request refused: runtime environment VMGRID/IMAGE/windows-xp "
                + "names image windows-xp, which this site cannot run"), b.stdoutText());
        assertEquals(jobsBefore, pilotJobs(), "no VM was started for a refused job: " + pilot.log());
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

    /** A provider or plugin for bdii-update (which runs it as openldap): the distribution's script with the site's settings. */
    private static void installGip(Path file, String script) throws Exception {
        Path cache = Files.createDirectories(shared.resolve("info-cache"));
        RUN.runChecked(Command.of(Duration.ofSeconds(10), "chown", "openldap", cache.toString()));
        Files.writeString(file, "#!/bin/sh\nVMGRID='" + VMGRID + "'\nVMGRID_CONF_DIR='" + site.conf + "'\n"
                + "VMGRID_INFO_CACHE='" + cache.resolve("arc.ldif") + "'\nexport VMGRID VMGRID_CONF_DIR VMGRID_INFO_CACHE\n"
                + "exec /bin/sh '" + DIST.resolve("arc/" + script) + "'\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

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

    private static int pilotJobs() {
        return (int) pilot.log().lines().filter(l -> l.matches("vmgrid pilot service: job \\S+ of \\S+: image .*")).count();
    }

    private static CommandResult vmgrid(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(VMGRID.toString()));
        argv.addAll(List.of(args));
        return RUN.run(Command.of(Duration.ofMinutes(3), argv));
    }

    private static String hostKernel() {
        return RUN.runChecked(Command.of(Duration.ofSeconds(5), "uname", "-r")).stdoutText().strip();
    }
}
