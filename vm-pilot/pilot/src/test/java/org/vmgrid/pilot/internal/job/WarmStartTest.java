package org.vmgrid.pilot.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.GuestAgent;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.internal.cache.ImageCache;
import org.vmgrid.pilot.internal.context.ContextImages;
import org.vmgrid.pilot.internal.domain.DomainPlan;
import org.vmgrid.pilot.internal.domain.DomainType;
import org.vmgrid.pilot.internal.golden.GoldenStore;
import org.vmgrid.pilot.internal.golden.Goldens;
import org.vmgrid.pilot.internal.libvirt.Hypervisor;

/**
 * The runner's warm and cold starts against a fake libvirt whose fake guest keeps guest contract 2
 * (it says ready, takes the job from the job port's FIFO, reports): the first job of a slot boots
 * and a golden is made behind it; the next is restored from it with the job's own files; a golden
 * that fails to restore is removed and the job boots; new versions make the golden stale.
 */
class WarmStartTest {

    @TempDir
    Path tmp;

    private final Hypervisor hv = mock(Hypervisor.class);
    private final CommandRunner commands = mock(CommandRunner.class);
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final List<String> restoredXml = new CopyOnWriteArrayList<>();
    private final List<String> jobsSent = new CopyOnWriteArrayList<>();
    /** What the Reaper would find in each VM's directory as the VM starts: the job's record, or the build's mark. */
    private final Map<String, String> marks = new ConcurrentHashMap<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private volatile String versions = "qemu 7002022 libvirt 9000000";
    /** Whether a restored guest, once it took its job, runs it until its VM is destroyed. */
    private volatile boolean restoredRunsOn;
    private Path state;
    private Path workdir;
    private ImageDescriptor image;
    private Goldens goldens;
    private JobRunner runner;
    private JobRunnerParts parts;

    @BeforeEach
    void setUp() throws Exception {
        state = tmp.resolve("state");
        workdir = Files.createDirectories(tmp.resolve("work"));
        Files.setAttribute(workdir, "unix:uid", JobRunnerTest.POOL_USER.uid());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest("disk".getBytes()));
        image = new ImageDescriptor("11111111-2222-4333-8444-555555555555", "t", "1", tmp.resolve("img").toUri(), 4,
                sha, tmp.resolve("l.json").toUri(), Instant.parse("2030-01-01T00:00:00Z"), List.of(), "", 2, GuestAgent.IMAGE);
        when(commands.runChecked(any())).thenAnswer(i -> JobRunnerTest.made(i.getArgument(0)));
        when(hv.runsGuestsAsAnyUser()).thenReturn(true);
        when(hv.versions()).thenAnswer(i -> versions);
        when(hv.isRunning(anyString())).thenAnswer(i -> running.contains(i.<String>getArgument(0)));
        when(hv.awaitStop(anyString(), anyLong())).thenAnswer(i -> {
            Thread.sleep(20);
            return false;
        });
        when(hv.define(anyString())).thenAnswer(i -> name(i.getArgument(0)));
        when(hv.definitionOf(anyString())).thenAnswer(i -> "<domain type='qemu'><name>" + i.getArgument(0)
                + "</name><genid>0a0b0c0d-1111-2222-3333-444455556666</genid><os><type arch='x86_64' "
                + "machine='pc-i440fx-7.2'>hvm</type></os></domain>");
        doAnswer(i -> {
            String name = i.getArgument(0);
            running.add(name);
            Path dir = name.startsWith("vmgrid-golden-") ? buildDir() : state.resolve(name.substring("vmgrid-".length()));
            mark(dir);
            guest(dir, name, false);
            return null;
        }).when(hv).start(anyString());
        doAnswer(i -> {
            running.remove(i.<String>getArgument(0));
            Files.writeString(i.<Path>getArgument(1), "saved memory");
            return null;
        }).when(hv).save(anyString(), any());
        doAnswer(i -> {
            String xml = i.getArgument(1);
            restoredXml.add(xml);
            String name = name(xml);
            running.add(name);
            Matcher m = Pattern.compile("<source file=\"([^\"]*)/overlay.qcow2\"").matcher(xml);
            m.find();
            mark(Path.of(m.group(1)));
            guest(Path.of(m.group(1)), name, true);
            return null;
        }).when(hv).restore(any(), anyString());
        doAnswer(i -> running.remove(i.<String>getArgument(0))).when(hv).destroy(anyString());

        Clock clock = Clock.systemUTC();
        ImageCache cache = new ImageCache(tmp.resolve("cache"), 1 << 20,
                uri -> new java.io.ByteArrayInputStream("disk".getBytes(StandardCharsets.UTF_8)), clock);
        DomainPlan plan = new DomainPlan(NetworkMode.NONE, Optional.empty());
        parts = new JobRunnerParts(cache, new Overlays(commands), new ContextImages(commands), plan,
                DomainType.QEMU, new SlotLimiter(state.resolve(".slots"), 2, clock),
                new AccountingLog(tmp.resolve("acct.jsonl")), state, Duration.ofSeconds(30), Duration.ofSeconds(5), 99,
                new JobUser("vmgrid", 500, 500), JobRunnerTest.CAPS);
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        goldens = new Goldens(new GoldenStore(tmp.resolve("golden"), uid), cache, hv, plan, new Overlays(commands), state,
                Duration.ofSeconds(30), 2000, 99, clock, new PrintStream(log, true, StandardCharsets.UTF_8));
        runner = new JobRunner(parts, hv, clock, Optional.of(goldens));
    }

    @AfterEach
    void tearDown() {
        goldens.close();
    }

    private static String name(String xml) {
        Matcher m = Pattern.compile("<name>([^<]*)</name>").matcher(xml);
        m.find();
        return m.group(1);
    }

    private void mark(Path dir) {
        marks.put(dir.getFileName().toString(), JobRecord.readFrom(dir).map(r -> "job " + r.jobId() + " pilot " + r.pilotPid())
                .or(() -> BuildRecord.pilotPidIn(dir).map(pid -> "build pilot " + pid)).orElse("none"));
    }

    private Path buildDir() throws IOException {
        try (var s = Files.list(state)) {
            return s.filter(p -> p.getFileName().toString().startsWith("golden-")).findFirst().orElseThrow();
        }
    }

    /**
     * The fake guest, in a thread of its own: a booting one says ready first (a golden's goes no
     * further); then it takes the job from the job port, checks it, and reports.
     */
    private void guest(Path dir, String name, boolean restored) {
        Thread t = new Thread(() -> {
            try {
                if (!restored && !name.startsWith("vmgrid-golden-") && !Files.exists(dir.resolve("job.in"))) {
                    Files.writeString(dir.resolve("status"), "booted\nexit 0\n"); // contract 1: no job port
                    return;
                }
                if (!restored) {
                    Files.writeString(dir.resolve("status"), "ready\n");
                    if (name.startsWith("vmgrid-golden-")) {
                        return;
                    }
                }
                String job = readJob(dir.resolve("job.in"));
                jobsSent.add(job);
                if (restored && restoredRunsOn) {
                    Files.writeString(dir.resolve("stdout"), "running\n");
                    while (running.contains(name)) {
                        Thread.sleep(20);
                    }
                    return;
                }
                Files.writeString(dir.resolve("stdout"), "ran\n");
                Files.writeString(dir.resolve("status"), (restored ? "" : "ready\n") + "booted\nexit 0\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (!name.startsWith("vmgrid-golden-")) {
                    running.remove(name);
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** What QEMU would hand the guest: the header line and exactly that many bytes. */
    private static String readJob(Path fifo) throws IOException {
        try (InputStream in = Files.newInputStream(fifo)) {
            StringBuilder head = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                head.append((char) c);
            }
            int n = Integer.parseInt(head.toString().substring("vmgrid-job ".length()));
            return head + "\n" + new String(in.readNBytes(n), StandardCharsets.US_ASCII);
        }
    }

    private PilotJob job(String id) {
        return job(id, image, "");
    }

    private PilotJob job(String id, ImageDescriptor of, String userData) {
        return new PilotJob(id, new VmRequest(of, 128, 1, NetworkMode.NONE, userData), List.of("echo", "hi"), Map.of(),
                workdir, Duration.ofSeconds(60), JobRunnerTest.POOL_USER);
    }

    private String record(String job) throws IOException {
        return Files.readAllLines(tmp.resolve("acct.jsonl")).stream().filter(l -> l.startsWith("{\"job\":\"" + job + "\""))
                .findFirst().orElseThrow();
    }

    private void awaitGoldens() throws InterruptedException {
        for (int i = 0; i < 3000 && !goldens.idle(); i++) {
            Thread.sleep(20);
        }
        assertTrue(goldens.idle(), "the golden build ended: " + log);
    }

    @Test
    void theFirstJobBootsAndTheNextIsRestoredFromTheGoldenMadeMeanwhile() throws Exception {
        JobOutcome first = runner.run(job("j1"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(0), first.exitCode(), first.reason());
        assertTrue(record("j1").contains("\"vmStart\":\"cold\",\"vmStartNote\":\"no golden "), record("j1"));
        assertTrue(jobsSent.get(0).contains("VMGRID_START='cold'"), jobsSent.get(0));
        awaitGoldens();
        assertTrue(log.toString().contains(" made in "), log.toString());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JobOutcome second = runner.run(job("j2"), out, new ByteArrayOutputStream());
        assertEquals(Optional.of(0), second.exitCode(), second.reason());
        assertEquals("ran\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(record("j2").contains("\"vmStart\":\"warm\",\"vmStartNote\":\"\""), record("j2"));
        verify(hv, never()).define(org.mockito.ArgumentMatchers.contains("<name>vmgrid-j2</name>"));
        String xml = restoredXml.get(0);
        assertTrue(xml.contains("<genid>0a0b0c0d-1111-2222-3333-444455556666</genid>"), "the golden's generation id, "
                + "which libvirt replaces: " + xml);
        assertTrue(xml.contains(state.resolve("j2").resolve("overlay.qcow2").toString()), "the job's own disk");
        assertTrue(xml.contains("<label>+10001:+10002</label>"), "QEMU as the job's user");
        assertTrue(xml.contains("id=\"j2\""), "the job's label, for the reaper");
        assertEquals(Map.of("j1", "job j1 pilot 99", "j2", "job j2 pilot 99"), Map.of("j1", marks.get("j1"), "j2",
                marks.get("j2")), "the booted and the restored job's records, for the reaper");
        assertEquals(List.of("build pilot 99"), marks.entrySet().stream().filter(e -> e.getKey().startsWith("golden-"))
                .map(Map.Entry::getValue).toList(), "the golden's build is marked as no job's");
        String sent = jobsSent.get(1);
        assertTrue(sent.contains("VMGRID_START='warm'") && sent.contains("VMGRID_CONTEXT_VERSION='2'"), sent);
        long time = Long.parseLong(sent.replaceAll("(?s).*VMGRID_TIME='([0-9]+)'.*", "$1"));
        assertTrue(Math.abs(time - Instant.now().getEpochSecond()) < 60, "the host's time now: " + time);
        assertFalse(Files.exists(state.resolve("j2")), "nothing of the job is left");
    }

    @Test
    void aRestoredJobIsCancelledAsABootedOneIs() throws Exception {
        JobOutcome first = runner.run(job("j1"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(0), first.exitCode(), first.reason());
        awaitGoldens();
        restoredRunsOn = true;
        Thread canceller = new Thread(() -> {
            try {
                for (int i = 0; i < 3000 && jobsSent.size() < 2; i++) {
                    Thread.sleep(20);
                }
                runner.cancel("j2");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        canceller.start();
        JobOutcome second = runner.run(job("j2"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        canceller.join();
        assertEquals(2, jobsSent.size(), "the restored guest took its job before the cancel");
        assertEquals(Optional.of(FailureKind.CANCELLED), second.failure(), second.reason());
        assertTrue(record("j2").contains("\"vmStart\":\"warm\""), record("j2"));
        String domain = name(restoredXml.get(0));
        assertFalse(running.contains(domain), "the restored VM was destroyed (its guest runs on until then)");
        assertFalse(Files.exists(state.resolve("j2")), "nothing of the job is left");
    }

    @Test
    void aGoldenThatFailsToRestoreIsRemovedAndTheJobBootsSayingSo() throws Exception {
        runner.run(job("j1"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        awaitGoldens();
        doAnswer(i -> {
            throw new PilotException(FailureKind.HOST, "libvirt could not restore: Target domain genid does not match");
        }).when(hv).restore(any(), anyString());
        JobOutcome o = runner.run(job("j2"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(0), o.exitCode(), o.reason());
        String r = record("j2");
        assertTrue(r.contains("\"vmStart\":\"cold\"") && r.contains("failed to restore (libvirt could not restore: Target "
                + "domain genid does not match); it was removed and the VM booted"), r);
        assertTrue(log.toString().contains("failed to restore"), log.toString());
        assertTrue(jobsSent.get(1).contains("VMGRID_START='cold'"));
        JobOutcome third = runner.run(job("j3"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(0), third.exitCode());
        assertTrue(record("j3").contains("\"vmStartNote\":\"no golden "), "the golden is made again: " + record("j3"));
    }

    @Test
    void aNewQemuOrLibvirtMakesTheGoldenStaleAndJobsBootWhileItIsMadeAgain() throws Exception {
        runner.run(job("j1"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        awaitGoldens();
        versions = "qemu 8002000 libvirt 9000000";
        JobOutcome o = runner.run(job("j2"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(0), o.exitCode());
        assertTrue(record("j2").contains("\"vmStart\":\"cold\",\"vmStartNote\":\"no golden "), record("j2"));
        awaitGoldens();
        assertTrue(log.toString().contains("is stale"), log.toString());
        runner.run(job("j3"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertTrue(record("j3").contains("\"vmStart\":\"warm\""), record("j3"));
    }

    @Test
    void aRestoredJobsRecordNamesItsCeJob() throws Exception {
        runner.run(job("j1"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        awaitGoldens();
        JobOutcome o = runner.run(job("j2").ofCeJob(Optional.of("https://ce.example.org:443/arex/lvJMDm9eGKw9hwWo")),
                new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(0), o.exitCode(), o.reason());
        String r = record("j2");
        assertTrue(r.contains("\"vmStart\":\"warm\"") && r.endsWith(",\"ceJob\":\"https://ce.example.org:443/arex/"
                + "lvJMDm9eGKw9hwWo\"}"), r);
    }

    @Test
    void aJobWithUserDataBootsWithItsCidataDiskThoughThereIsAGolden() throws Exception {
        runner.run(job("j1"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        awaitGoldens();
        JobOutcome o = runner.run(job("j2", image, "#cloud-config\nruncmd: [true]\n"), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
        assertEquals(Optional.of(0), o.exitCode(), o.reason());
        String r = record("j2");
        assertTrue(r.contains("\"vmStart\":\"cold\",\"vmStartNote\":\"a job with user data always boots: cloud-init "
                + "applies it at boot\""), r);
        assertTrue(restoredXml.isEmpty(), "nothing restored: " + restoredXml);
        verify(hv).define(org.mockito.ArgumentMatchers.argThat(x -> x.contains("<name>vmgrid-j2</name>")
                && x.contains(state.resolve("j2").resolve("cidata.iso").toString()) && x.contains("org.vmgrid.job")));
        assertTrue(jobsSent.get(1).contains("VMGRID_START='cold'"), jobsSent.get(1));
        JobOutcome plain = runner.run(job("j3"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(0), plain.exitCode(), plain.reason());
        assertTrue(record("j3").contains("\"vmStart\":\"warm\""), "a job without user data still starts warm: "
                + record("j3"));
    }

    @Test
    void aStockCloudInitImageAlwaysBootsTheContractOneWayAndNoGoldenIsMadeForIt() throws Exception {
        JobRunner ownUsers = new JobRunner(new JobRunnerParts(parts.cache(), parts.overlays(), parts.contextImages(),
                parts.plan(), parts.domainType(), parts.slots(), parts.accounting(), parts.stateDir(), parts.bootTimeout(),
                parts.slotWait(), parts.pilotPid(), JobRunnerTest.POOL_USER, parts.caps()), hv, Clock.systemUTC(),
                Optional.of(goldens));
        ImageDescriptor cloud = image.withGuestAgent(GuestAgent.CLOUD_INIT);
        assertEquals(2, cloud.guestContract(), "its list says 2; the agent the pilot delivers speaks 1");
        for (String id : List.of("c1", "c2")) {
            JobOutcome o = ownUsers.run(job(id, cloud, ""), new ByteArrayOutputStream(), new ByteArrayOutputStream());
            assertEquals(Optional.of(0), o.exitCode(), o.reason());
            assertTrue(record(id).contains("\"vmStart\":\"cold\",\"vmStartNote\":\"a stock cloud-init image, whose "
                    + "guest agent the pilot delivers at boot, always boots\""), record(id));
            awaitGoldens();
        }
        verify(hv).define(org.mockito.ArgumentMatchers.argThat(x -> x.contains("<name>vmgrid-c1</name>")
                && x.contains("jobdir-in") && !x.contains("org.vmgrid.job")));
        verify(hv, never()).define(org.mockito.ArgumentMatchers.contains("vmgrid-golden-"));
        assertTrue(restoredXml.isEmpty() && jobsSent.isEmpty(), "no job port, no restore");
        assertFalse(log.toString().contains(" made in "), "no golden is made for it: " + log);
    }

    @Test
    void anOutboundGuestAlwaysBoots() throws Exception {
        runner.run(job("j1"), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        awaitGoldens();
        DomainPlan outbound = new DomainPlan(NetworkMode.OUTBOUND, Optional.of("vmgrid-outbound"));
        JobRunner open = new JobRunner(new JobRunnerParts(parts.cache(), parts.overlays(), parts.contextImages(), outbound,
                parts.domainType(), parts.slots(), parts.accounting(), parts.stateDir(), parts.bootTimeout(),
                parts.slotWait(), parts.pilotPid(), parts.pilotUser(), parts.caps()), hv, Clock.systemUTC(),
                Optional.of(goldens));
        PilotJob j = new PilotJob("j2", new VmRequest(image, 128, 1, NetworkMode.OUTBOUND, ""), List.of("echo", "hi"),
                Map.of(), workdir, Duration.ofSeconds(60), JobRunnerTest.POOL_USER);
        JobOutcome o = open.run(j, new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(0), o.exitCode(), o.reason());
        assertTrue(record("j2").contains("\"vmStart\":\"cold\",\"vmStartNote\":\"a guest with a network always "
                + "boots\""), record("j2"));
        assertTrue(restoredXml.isEmpty(), "nothing restored");
    }
}
