package org.vmgrid.pilot.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.config.LimitsSection;
import org.vmgrid.config.PilotSection;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.decision.SiteDecision;
import org.vmgrid.pilot.BatchAllocation;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobDirectory;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.PilotClient;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.PilotRequest;
import org.vmgrid.pilot.VmPilot;
import org.vmgrid.pilot.internal.domain.DomainXmlEncoderTest;
import org.vmgrid.pilot.internal.job.AccountingLog;
import org.vmgrid.pilot.internal.jobdir.JobdirArchive;
import org.vmgrid.pilot.internal.jobdir.JobdirDisks;
import org.vmgrid.pilot.internal.jobdir.LocalJobDirectory;
import org.vmgrid.unixsocket.PeerCredentials;

/** The service's socket with a real client over a real unix socket; the pilot behind it is a fake. */
class PilotSocketServerTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final FakePilot pilot = new FakePilot();
    private final ImageCatalog catalog = new ImageCatalog() {
        @Override
        public ImageResolution resolve(String name) {
            return DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid().equals(name)
                    ? ImageResolution.found(DomainXmlEncoderTest.IMAGE_FOR_TESTS)
                    : ImageResolution.notUsable("unknown image " + name);
        }

        @Override
        public List<ImageDescriptor> usableImages() {
            return List.of(DomainXmlEncoderTest.IMAGE_FOR_TESTS);
        }
    };
    private PilotSocketServer server;
    private Path workdir;
    /** The site's accounting file, where the service writes the records of the jobs it refuses. */
    private AccountingLog accounting;

    /**
     * The test runs as root, whom the real policy refuses (see {@code CallerPolicyTest}), in whatever
     * cgroup the build gave it: here root is taken for a pool account in no batch job, so that the
     * service's plumbing can be driven over a real socket.
     */
    static final CallerPolicy ROOT_AS_A_USER = new CallerPolicy() {
        @Override
        public JobUser user(PeerCredentials peer) {
            return new JobUser(peer.name(), peer.uid(), peer.gid());
        }

        @Override
        public BatchAllocation allocation(PeerCredentials peer) {
            return BatchAllocation.none();
        }
    };

    private PilotSocketServer server(Path socket, int max, int perUser) {
        return new PilotSocketServer(socket, pilot, SiteDecision.of(SiteConfig.builtIn(), catalog, java.time.Clock.systemUTC()), ROOT_AS_A_USER,
                new PilotSection.ServiceLimits(max, perUser), new PrintStream(log, true, StandardCharsets.UTF_8), accounting);
    }

    @BeforeEach
    void start() throws IOException {
        workdir = Files.createDirectories(tmp.resolve("work"));
        accounting = new AccountingLog(tmp.resolve("accounting.jsonl"));
        server = server(tmp.resolve("run/pilot.sock"), 8, 8);
    }

    @AfterEach
    void stop() {
        server.close();
        assertFalse(Files.exists(tmp.resolve("run/pilot.sock")), "the socket is removed");
    }

    /** What the fake does with a job: writes, then tells this outcome (or waits for a cancel). */
    private static final class FakePilot implements VmPilot {
        final BlockingQueue<PilotJob> jobs = new ArrayBlockingQueue<>(4);
        final BlockingQueue<Optional<JobDirectory>> jobdirs = new ArrayBlockingQueue<>(4);
        final BlockingQueue<String> cancels = new ArrayBlockingQueue<>(4);
        final CountDownLatch teardown = new CountDownLatch(1);
        volatile boolean waitForCancel;
        volatile Integer exit = 0;

        @Override
        public JobOutcome run(PilotJob job, Optional<JobDirectory> jobdir, OutputStream stdout, OutputStream stderr,
                Consumer<JobOutcome> onResult) {
            jobs.add(job);
            jobdirs.add(jobdir);
            try {
                stdout.write("line 1\n".getBytes(StandardCharsets.UTF_8));
                stderr.write("to stderr\n".getBytes(StandardCharsets.UTF_8));
                stdout.write(new byte[200_000]); // more than one frame
                stdout.write("last\n".getBytes(StandardCharsets.UTF_8));
                JobOutcome o;
                if (waitForCancel) {
                    String id = cancels.poll(30, TimeUnit.SECONDS);
                    o = outcome(job, Optional.empty(), Optional.of(FailureKind.CANCELLED),
                            id == null ? "no cancel came" : "the job was cancelled; its VM was destroyed");
                } else {
                    o = outcome(job, Optional.ofNullable(exit), Optional.ofNullable(exit == null ? FailureKind.BOOT : null),
                            exit == null ? "the guest stopped before it started the payload" : "");
                }
                onResult.accept(o);
                // the teardown comes after the result, and may take its time
                teardown.await(30, TimeUnit.SECONDS);
                return o;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        private static JobOutcome outcome(PilotJob job, Optional<Integer> exit, Optional<FailureKind> f, String why) {
            return new JobOutcome(job.jobId(), exit, f, why, "qemu", Instant.now(), Instant.now(), 0);
        }

        @Override
        public void cancel(String jobId) {
            cancels.add(jobId);
        }
    }

    private PilotRequest request(String image, Path dir) {
        return new PilotRequest(image, dir, OptionalInt.empty(), OptionalInt.empty(), Optional.empty(),
                Duration.ofSeconds(60), List.of("sh", "-c", "exit 3"), Map.of("GREETING", "hi $(x)"));
    }

    private PilotClient.Result run(PilotRequest r, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        try (PilotClient c = PilotClient.connect(server.socket())) {
            return c.run(r, out, err);
        }
    }

    @Test
    void theJobsOutputAndExitCodeComeBackBeforeItsTeardownEnds() throws Exception {
        pilot.exit = 3;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PilotClient.Result r = run(request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), workdir), out, err);
        assertEquals(Optional.of(3), r.exitCode(), r.reason());
        assertEquals(1, pilot.teardown.getCount(), "the client had its result while the teardown still ran");
        pilot.teardown.countDown();
        byte[] o = out.toByteArray();
        assertEquals(7 + 200_000 + 5, o.length);
        assertTrue(new String(o, StandardCharsets.UTF_8).startsWith("line 1\n"));
        assertTrue(new String(o, StandardCharsets.UTF_8).endsWith("\0last\n"));
        assertEquals("to stderr\n", err.toString(StandardCharsets.UTF_8));
        PilotJob job = pilot.jobs.take();
        assertEquals(r.jobId(), job.jobId());
        assertEquals(workdir.toRealPath(), job.workdir());
        assertEquals(new org.vmgrid.pilot.JobUser("root", 0, 0), job.user(), "the job runs as the caller the socket's peer credentials name");
        assertEquals(Map.of("GREETING", "hi $(x)"), job.environment());
        assertEquals(LimitsSection.builtIn().memoryDefaultMiB(), job.vm().memoryMiB(), "the site's default applies");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("job " + job.jobId() + " of root"), log.toString());
    }

    @Test
    void theCeJobARequestNamesGoesWithItsJobAndARequestWithoutOneNamesNone() throws Exception {
        pilot.teardown.countDown();
        PilotRequest plain = request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), workdir);
        String arc = "lvJMDmrWLtAoOSAtDmABFKDmABFKDmABFKDm9eGKDmCBFKDmw9hwWo";
        PilotRequest named = new PilotRequest(plain.image(), plain.workdir(), plain.memoryMiB(), plain.cpus(),
                plain.network(), plain.timeout(), plain.argv(), plain.environment(), Optional.of(arc));
        assertEquals(Optional.of(0), run(named, new ByteArrayOutputStream(), new ByteArrayOutputStream()).exitCode());
        assertEquals(Optional.of(arc), pilot.jobs.take().ceJob());
        assertEquals(Optional.of(0), run(plain, new ByteArrayOutputStream(), new ByteArrayOutputStream()).exitCode());
        assertEquals(Optional.empty(), pilot.jobs.take().ceJob());
    }

    /**
     * The site decision is asked as the caller's VO, which its policy names from the caller's
     * user (a pool account's group, see {@code PoolAccounts}); the VO policy then holds on the node.
     */
    @Test
    void aPoolAccountsJobIsDecidedAsItsVo() throws Exception {
        String image = DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid();
        java.util.concurrent.atomic.AtomicReference<String> vo = new java.util.concurrent.atomic.AtomicReference<>();
        CallerPolicy poolOfVo = new CallerPolicy() {
            @Override
            public JobUser user(PeerCredentials peer) {
                return ROOT_AS_A_USER.user(peer);
            }

            @Override
            public BatchAllocation allocation(PeerCredentials peer) {
                return BatchAllocation.none();
            }

            @Override
            public org.vmgrid.decision.Asker asker(JobUser user) {
                return org.vmgrid.decision.Asker.grid(Optional.of(vo.get()), List.of());
            }
        };
        SiteDecision dteamOnly = new SiteDecision(catalog, new org.vmgrid.decision.VoImagePolicy(
                new org.vmgrid.config.PolicySection(Map.of("dteam", List.of(image)), true), Map.of()),
                new org.vmgrid.decision.VmLimits(org.vmgrid.config.LimitsSection.builtIn()), java.time.Clock.systemUTC());
        pilot.teardown.countDown();
        try (PilotSocketServer s = new PilotSocketServer(tmp.resolve("vo.sock"), pilot, dteamOnly, poolOfVo,
                new PilotSection.ServiceLimits(8, 8), new PrintStream(log, true, StandardCharsets.UTF_8), accounting)) {
            vo.set("cms");
            PilotClient.Result refused;
            try (PilotClient c = PilotClient.connect(s.socket())) {
                refused = c.run(request(image, workdir), new ByteArrayOutputStream(), new ByteArrayOutputStream());
            }
            assertEquals(Optional.of(FailureKind.REFUSED), refused.failure(), refused.reason());
            assertTrue(refused.reason().contains("VO cms may use no VM image at this site"), refused.reason());
            assertEquals(null, pilot.jobs.poll(), "nothing ran");
            vo.set("dteam");
            PilotClient.Result ran;
            try (PilotClient c = PilotClient.connect(s.socket())) {
                ran = c.run(request(image, workdir), new ByteArrayOutputStream(), new ByteArrayOutputStream());
            }
            assertEquals(Optional.of(0), ran.exitCode(), ran.reason());
        }
    }

    @Test
    void aFailedJobComesBackWithItsKindAndReason() {
        pilot.exit = null;
        pilot.teardown.countDown();
        PilotClient.Result r = run(request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), workdir),
                new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.BOOT), r.failure());
        assertEquals("the guest stopped before it started the payload", r.reason());
    }

    @Test
    void theClientsCancelCancelsItsJobAndItHearsThatItWasCancelled() throws Exception {
        pilot.waitForCancel = true;
        pilot.teardown.countDown();
        try (PilotClient c = PilotClient.connect(server.socket())) {
            Thread canceller = new Thread(() -> {
                try {
                    pilot.jobs.take();
                    c.cancel();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            canceller.start();
            PilotClient.Result r = c.run(request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), workdir),
                    new ByteArrayOutputStream(), new ByteArrayOutputStream());
            canceller.join();
            assertEquals(Optional.of(FailureKind.CANCELLED), r.failure(), r.reason());
            assertEquals(r.jobId(), pilot.cancels.isEmpty() ? r.jobId() : pilot.cancels.peek());
        }
    }

    @Test
    void aClientThatGoesAwayCancelsItsJob() throws Exception {
        pilot.waitForCancel = true;
        pilot.teardown.countDown();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(server.socket()));
            byte[] body = Frames.request(request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), workdir));
            Frames.write(ChannelStreams.out(ch), Frames.REQUEST, body, 0, body.length);
            PilotJob job = pilot.jobs.poll(30, TimeUnit.SECONDS);
            assertTrue(job != null, "the job started");
        }
        // the fake takes the cancel as its own and tells CANCELLED to nobody
        PilotJob none = pilot.jobs.poll();
        assertEquals(null, none);
        for (int i = 0; i < 300 && !log.toString(StandardCharsets.UTF_8).contains("ended: CANCELLED"); i++) {
            Thread.sleep(100);
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("ended: CANCELLED"), log.toString());
    }

    @Test
    void stoppingTheServiceCancelsRunningJobsAndWaitsForThem() throws Exception {
        pilot.waitForCancel = true;
        pilot.teardown.countDown();
        java.util.concurrent.atomic.AtomicReference<PilotClient.Result> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread client = new Thread(() -> result.set(run(request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), workdir),
                new ByteArrayOutputStream(), new ByteArrayOutputStream())));
        client.start();
        PilotJob job = pilot.jobs.poll(30, TimeUnit.SECONDS);
        assertTrue(job != null, "the job started");
        server.close();
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("job " + job.jobId() + " of root ended: CANCELLED"),
                "the stop cancelled the job and waited for its end: " + log);
        client.join(30_000);
        assertEquals(Optional.of(FailureKind.CANCELLED), result.get().failure(), result.get().reason());
    }

    /**
     * Refused at their start (an image the catalogue no longer offers, a missing workdir): the
     * reason goes to the client, no job runs, and each gets one accounting record with its failure
     * and reason, which the service's log names.
     */
    @Test
    void anUnknownImageAndAMissingWorkdirAreRefusedWithTheReasonAndAnAccountingRecordAndNoJobRuns()
            throws IOException {
        PilotClient.Result r = run(request("no-such-image", workdir), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.IMAGE), r.failure());
        assertTrue(r.reason().contains("unknown image no-such-image"), r.reason());
        r = run(request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), tmp.resolve("missing")), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.REFUSED), r.failure());
        assertTrue(r.reason().contains("does not exist"), r.reason());
        assertTrue(pilot.jobs.isEmpty());

        List<String> records = Files.readAllLines(tmp.resolve("accounting.jsonl"));
        assertEquals(2, records.size(), records.toString());
        java.util.regex.Matcher image = java.util.regex.Pattern.compile("^\\{\"job\":\"(pilot-[0-9a-f-]{36})\","
                + "\"image\":\"no-such-image\",\"hypervisor\":\"\",\"start\":\"([^\"]+)\",\"end\":\"\\2\","
                + "\"wallSeconds\":0\\.000,\"cpuSeconds\":0\\.000,\"prepareSeconds\":0\\.000,\"exitCode\":null,"
                + "\"failure\":\"image\",\"reason\":\"[^\"]*unknown image no-such-image[^\"]*\",\"user\":\"root\","
                + "\"uid\":0,\"batchJob\":null,\"memoryMiB\":null,\"cpus\":null,\"ceJob\":null\\}$").matcher(records.get(0));
        assertTrue(image.matches(), records.get(0));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("(accounted as job " + image.group(1) + ")"), log.toString());
        assertTrue(records.get(1).contains("\"failure\":\"refused\",\"reason\":\"--workdir "), records.get(1));
    }

    @Test
    void garbageInsteadOfARequestIsRefusedAndTheServiceGoesOn() throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(server.socket()));
            ch.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ch.shutdownOutput();
            Frames.Frame f = Frames.read(ChannelStreams.in(ch)).orElseThrow();
            PilotClient.Result e = Frames.ending(f);
            assertEquals(Optional.of(FailureKind.REFUSED), e.failure());
            assertTrue(e.reason().contains("could not read the request"), e.reason());
        }
        pilot.teardown.countDown();
        PilotClient.Result r = run(request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), workdir),
                new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(0), r.exitCode(), r.reason());
    }

    @Test
    void aLiveServiceIsNotTakenOverAndAStaleSocketIsReplaced() throws IOException {
        PilotException e = assertThrows(PilotException.class, () -> server(server.socket(), 8, 8));
        assertTrue(e.getMessage().contains("another pilot service is listening on"), e.getMessage());
        Path stale = tmp.resolve("stale.sock");
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(stale)); // a socket file nobody listens on
        }
        server(stale, 8, 8).close();
    }

    @Test
    void beyondItsUsersLimitAClientIsToldTheServiceIsBusyForItAndTheOthersGoOn() throws Exception {
        Path sock = tmp.resolve("small.sock");
        try (PilotSocketServer small = server(sock, 4, 1)) {
            pilot.waitForCancel = true;
            pilot.teardown.countDown();
            try (PilotClient first = PilotClient.connect(sock)) {
                Thread t = new Thread(() -> first.run(request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), workdir),
                        new ByteArrayOutputStream(), new ByteArrayOutputStream()));
                t.start();
                assertTrue(pilot.jobs.poll(30, TimeUnit.SECONDS) != null, "the first job runs");
                PilotClient.Result second;
                try (PilotClient c = PilotClient.connect(sock)) {
                    second = c.run(request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), workdir),
                            new ByteArrayOutputStream(), new ByteArrayOutputStream());
                }
                assertEquals(Optional.of(FailureKind.HOST), second.failure());
                assertTrue(second.reason().contains("is busy for root: 1 of its connections are open (at most 1 per "
                        + "user)"), second.reason());
                first.cancel();
                t.join(30_000);
            }
        }
    }

    /**
     * A pilot whose guest takes the job directory on disks: it packs the in-disk through the caller's
     * job directory and takes back a guest's archive holding a file and a link out.
     */
    private VmPilot diskGuest(long maxBytes, List<String> notes) {
        return new VmPilot() {
            @Override
            public JobOutcome run(PilotJob job, Optional<JobDirectory> jobdir, OutputStream stdout,
                    OutputStream stderr, Consumer<JobOutcome> onResult) {
                JobOutcome o;
                try {
                    JobdirDisks disks = new JobdirDisks(maxBytes);
                    Path in = tmp.resolve("jobdir-in.tar");
                    disks.writeIn(job.jobId(), jobdir.orElseThrow(), in);
                    Path guest = Files.createDirectories(tmp.resolve("guest"));
                    try (FileChannel ch = FileChannel.open(in)) {
                        disks.takeBack(job.jobId(), ch, new LocalJobDirectory(guest, notes::add), notes::add);
                    }
                    Files.writeString(guest.resolve("result.txt"), "out of " + Files.readString(guest.resolve("input.txt")));
                    Files.createSymbolicLink(guest.resolve("escape"), Path.of("/etc/shadow"));
                    Path out = tmp.resolve("jobdir-out.tar");
                    try (OutputStream w = Files.newOutputStream(out)) {
                        JobdirArchive.write(guest, w, notes::add);
                    }
                    try (FileChannel ch = FileChannel.open(out)) {
                        disks.takeBack(job.jobId(), ch, jobdir.get(), notes::add);
                    }
                    o = new JobOutcome(job.jobId(), Optional.of(0), Optional.empty(), "", "qemu", Instant.now(),
                            Instant.now(), 0);
                } catch (PilotException e) {
                    o = new JobOutcome(job.jobId(), Optional.empty(), Optional.of(e.kind()), e.getMessage(), "qemu",
                            Instant.now(), Instant.now(), 0);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                onResult.accept(o);
                return o;
            }

            @Override
            public void cancel(String jobId) {
            }
        };
    }

    private PilotRequest offeringJobdir(Path dir) {
        PilotRequest r = request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), dir);
        return new PilotRequest(r.image(), r.workdir(), r.memoryMiB(), r.cpus(), r.network(), r.timeout(), r.argv(),
                r.environment(), Optional.empty(), true);
    }

    @Test
    void theClientPacksTheJobDirectoryAndUnpacksWhatTheGuestReturnedWithTheSameChecks() throws Exception {
        Files.writeString(workdir.resolve("input.txt"), "in");
        List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (PilotSocketServer s = new PilotSocketServer(tmp.resolve("disks.sock"), diskGuest(1 << 20, notes),
                SiteDecision.of(SiteConfig.builtIn(), catalog, java.time.Clock.systemUTC()), ROOT_AS_A_USER,
                new PilotSection.ServiceLimits(8, 8), new PrintStream(log, true, StandardCharsets.UTF_8), accounting);
                PilotClient c = PilotClient.connect(s.socket())) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PilotClient.Result r = c.run(offeringJobdir(workdir), new ByteArrayOutputStream(), err);
            assertEquals(Optional.of(0), r.exitCode(), r.reason() + err);
            assertEquals("out of in", Files.readString(workdir.resolve("result.txt")));
            assertFalse(Files.exists(workdir.resolve("escape"), LinkOption.NOFOLLOW_LINKS), "no link comes back");
            assertTrue(notes.contains("not taken back from the guest: escape (a symbolic link)"), notes.toString());
        }
    }

    @Test
    void aJobDirectoryOverTheCapIsRefusedWithTheSitesReason() throws Exception {
        Files.write(workdir.resolve("big"), new byte[3 << 20]);
        try (PilotSocketServer s = new PilotSocketServer(tmp.resolve("cap.sock"), diskGuest(1 << 20, new ArrayList<>()),
                SiteDecision.of(SiteConfig.builtIn(), catalog, java.time.Clock.systemUTC()), ROOT_AS_A_USER,
                new PilotSection.ServiceLimits(8, 8), new PrintStream(log, true, StandardCharsets.UTF_8), accounting);
                PilotClient c = PilotClient.connect(s.socket())) {
            PilotClient.Result r = c.run(offeringJobdir(workdir), new ByteArrayOutputStream(), new ByteArrayOutputStream());
            assertEquals(Optional.of(FailureKind.REFUSED), r.failure(), r.reason());
            assertTrue(r.reason().contains("jobdir.max.bytes"), r.reason());
        }
    }

    @Test
    void aClientThatOffersNoJobDirectoryGivesThePilotNone() throws Exception {
        pilot.teardown.countDown();
        assertEquals(Optional.of(0), run(request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), workdir),
                new ByteArrayOutputStream(), new ByteArrayOutputStream()).exitCode());
        assertEquals(Optional.empty(), pilot.jobdirs.take());
    }

    @Test
    void aClientWithNothingListeningGetsAHostFailureNamingTheSocket() {
        PilotException e = assertThrows(PilotException.class, () -> PilotClient.connect(tmp.resolve("none.sock")));
        assertEquals(FailureKind.HOST, e.kind());
        assertTrue(e.getMessage().contains(tmp.resolve("none.sock").toString()), e.getMessage());
    }

    @Test
    void aClientThatNeverReadsHoldsUpNeitherTheResultNorTheTeardown() throws Exception {
        CountDownLatch tornDown = new CountDownLatch(1);
        VmPilot flooding = new VmPilot() {
            @Override
            public JobOutcome run(PilotJob job, Optional<JobDirectory> jobdir, OutputStream stdout,
                    OutputStream stderr, Consumer<JobOutcome> onResult) {
                // the payload's output, relayed by a thread of its own as the job runner does
                Thread relay = new Thread(() -> {
                    try {
                        stdout.write(new byte[8 << 20]);
                    } catch (IOException e) {
                        // the client is gone
                    }
                });
                relay.setDaemon(true);
                relay.start();
                try {
                    relay.join(2000); // the runner waits for its relays a bounded time too
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                JobOutcome o = new JobOutcome(job.jobId(), Optional.of(0), Optional.empty(), "", "qemu", Instant.now(),
                        Instant.now(), 0);
                onResult.accept(o);
                tornDown.countDown();
                return o;
            }

            @Override
            public void cancel(String jobId) {
            }
        };
        try (PilotSocketServer s = new PilotSocketServer(tmp.resolve("flood.sock"), flooding,
                SiteDecision.of(SiteConfig.builtIn(), catalog, java.time.Clock.systemUTC()), ROOT_AS_A_USER, new PilotSection.ServiceLimits(8, 8),
                new PrintStream(log, true, StandardCharsets.UTF_8), accounting);
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(s.socket()));
            byte[] body = Frames.request(request(DomainXmlEncoderTest.IMAGE_FOR_TESTS.uuid(), workdir));
            Frames.write(ChannelStreams.out(ch), Frames.REQUEST, body, 0, body.length);
            // and never reads a byte
            assertTrue(tornDown.await(30, TimeUnit.SECONDS), "the job's result and teardown waited on a client that "
                    + "does not read: " + log);
        }
    }

    @Test
    void aClientThatSendsNoRequestIsClosedAfterTheRequestTimeout() throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(server.socket()));
            long t0 = System.nanoTime();
            Optional<Frames.Frame> f = Frames.read(ChannelStreams.in(ch));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertTrue(f.isEmpty() || f.get().type() == Frames.FAILURE, "closed without a job");
            assertTrue(seconds >= PilotSocketServer.REQUEST_SECONDS - 1, "closed after " + seconds + " s");
        }
        assertTrue(pilot.jobs.isEmpty());
    }
}
