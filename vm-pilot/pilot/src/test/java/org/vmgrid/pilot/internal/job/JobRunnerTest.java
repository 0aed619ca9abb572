package org.vmgrid.pilot.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.GuestAgent;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.internal.cache.ImageCache;
import org.vmgrid.pilot.internal.context.ContextImages;
import org.vmgrid.pilot.internal.domain.DomainPlan;
import org.vmgrid.pilot.internal.domain.DomainType;
import org.vmgrid.pilot.internal.libvirt.Hypervisor;

class JobRunnerTest {

    @TempDir
    Path tmp;

    private final Hypervisor hv = mock(Hypervisor.class);
    private final CommandRunner commands = mock(CommandRunner.class);
    private final AtomicBoolean active = new AtomicBoolean();
    private byte[] served = "disk".getBytes(StandardCharsets.UTF_8);
    private Runnable onDownload = () -> { };
    private ImageDescriptor image;
    private Path state;
    private Path workdir;
    private JobRunner runner;

    /** The job's user: not root (no VM runs as root), owner of the job's workdir. */
    static final JobUser POOL_USER = new JobUser("pool001", 10001, 10002);

    @BeforeEach
    void setUp() throws Exception {
        state = tmp.resolve("state");
        workdir = Files.createDirectories(tmp.resolve("work"));
        Files.setAttribute(workdir, "unix:uid", POOL_USER.uid());
        when(hv.runsGuestsAsAnyUser()).thenReturn(true);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest("disk".getBytes()));
        image = new ImageDescriptor("11111111-2222-4333-8444-555555555555", "t", "1", tmp.resolve("img").toUri(), 4,
                sha, tmp.resolve("l.json").toUri(), Instant.parse("2030-01-01T00:00:00Z"), List.of());
        when(commands.runChecked(any())).thenAnswer(i -> made(i.getArgument(0)));
        when(hv.isRunning(anyString())).thenAnswer(i -> active.get());
        when(hv.define(anyString())).thenReturn("vmgrid-j1");
        SteppingClock clock = new SteppingClock(Duration.ofSeconds(1));
        ImageCache cache = new ImageCache(tmp.resolve("cache"), 1 << 20, uri -> {
            onDownload.run();
            return new java.io.ByteArrayInputStream(served);
        }, clock);
        JobRunnerParts parts = new JobRunnerParts(cache, new Overlays(commands), new ContextImages(commands),
                new DomainPlan(NetworkMode.NONE, Optional.empty()), DomainType.QEMU, new SlotLimiter(state.resolve("slots"), 2, clock),
                new AccountingLog(tmp.resolve("acct.jsonl")), state, Duration.ofSeconds(30), Duration.ofSeconds(5), 99,
                new JobUser("vmgrid", 500, 500), CAPS);
        runner = new JobRunner(parts, hv, clock);
    }

    /** What qemu-img and genisoimage would leave: the file they were told to write. */
    static CommandResult made(Command c) throws java.io.IOException {
        List<String> a = c.argv();
        int o = a.indexOf("-o");
        Files.write(Path.of(o >= 0 ? a.get(o + 1) : a.get(a.size() - 1)), new byte[0]);
        return new CommandResult(c, 0, new byte[0], new byte[0]);
    }

    static final SizeCaps CAPS = new SizeCaps(1000, 2000, 100);

    private PilotJob job() {
        return new PilotJob("j1", new VmRequest(image, 128, 1, NetworkMode.NONE, ""), List.of("echo", "hi"), Map.of(),
                workdir, Duration.ofSeconds(60), POOL_USER);
    }

    /** When the domain starts, a fake guest writes these to its channel files, then (if stop) powers off. */
    private void guest(String stdout, String status, boolean stop) {
        doAnswer(i -> {
            Path dir = state.resolve("j1");
            Files.writeString(dir.resolve("stdout"), stdout);
            Files.writeString(dir.resolve("status"), status);
            active.set(!stop);
            return null;
        }).when(hv).start("vmgrid-j1");
    }

    @Test
    void relaysOutputAndTheExitCodeThenLeavesNothingBehind() throws Exception {
        guest("hello from the guest\n", "booted\nexit 3\n", true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JobOutcome o = runner.run(job(), out, new ByteArrayOutputStream());
        assertEquals(Optional.of(3), o.exitCode(), o.reason());
        assertEquals("hello from the guest\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("qemu", o.hypervisor());
        verify(hv).destroy("vmgrid-j1");
        verify(hv).undefine("vmgrid-j1");
        assertFalse(Files.exists(state.resolve("j1")), "job directory removed");
        assertFalse(Files.exists(state.resolve(".console")), "a job that ran keeps no console log");
        String line = Files.readString(tmp.resolve("acct.jsonl"));
        assertTrue(line.startsWith("{\"job\":\"j1\",\"image\":\"11111111-2222-4333-8444-555555555555\",\"hypervisor\":\"qemu\""), line);
        assertTrue(line.contains("\"exitCode\":3,\"failure\":null"), line);
    }

    @Test
    void theResultIsToldOnceAsSoonAsTheGuestPoweredOffBeforeTheTeardown() {
        guest("out\n", "booted\nexit 0\n", true);
        List<String> told = new java.util.ArrayList<>();
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream(), r -> {
            verify(hv, never()).destroy(anyString());
            assertTrue(Files.exists(state.resolve("j1")), "the job's files are still there when the result is told");
            told.add(r.jobId() + " " + r.exitCode().orElse(-1));
        });
        assertEquals(List.of("j1 0"), told);
        assertEquals(Optional.of(0), o.exitCode());
        verify(hv).destroy("vmgrid-j1");
        assertFalse(Files.exists(state.resolve("j1")));
    }

    @Test
    void aJobThatFailsBeforeItsVmStartsTellsItsFailureOnceAndAListenerThatThrowsStopsNothing() throws Exception {
        served = "not the disk".getBytes(StandardCharsets.UTF_8);
        List<JobOutcome> told = new java.util.ArrayList<>();
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream(), r -> {
            told.add(r);
            throw new IllegalStateException("the client went away");
        });
        assertEquals(List.of(o), told);
        assertEquals(Optional.of(FailureKind.IMAGE), o.failure());
        assertTrue(Files.readString(tmp.resolve("acct.jsonl")).contains("\"failure\":\"image\""));
    }

    @Test
    void aGuestThatNeverBootsEndsOnTheBootTimeout() throws Exception {
        guest("", "", false);
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.BOOT), o.failure());
        assertTrue(o.reason().startsWith("image 11111111-2222-4333-8444-555555555555 ('t' version 1): the guest did not "
                + "start the payload within 30 s (the site's boot.timeout); the image did not boot on this node: run the "
                + "job again or with another image, or ask the site to check this one (or to allow it longer); the guest "
                + "console printed nothing"), o.reason());
        verify(hv).destroy("vmgrid-j1");
        verify(hv).undefine("vmgrid-j1");
        assertTrue(o.reason().endsWith("(console log: " + state.resolve(".console/j1.log") + ")"), o.reason());
        assertTrue(Files.exists(state.resolve(".console/j1.log")));
        assertFalse(Files.exists(state.resolve("j1")), "overlay, context ISO and channel files removed");
        String line = Files.readString(tmp.resolve("acct.jsonl"));
        assertTrue(line.contains("\"exitCode\":null,\"failure\":\"boot\",\"reason\":\"image "), line);
    }

    @Test
    void aGuestThatStopsBeforeThePayloadFailsNamingItsImage() throws Exception {
        guest("", "", true);
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.BOOT), o.failure());
        assertTrue(o.reason().startsWith("image 11111111-2222-4333-8444-555555555555 ('t' version 1): the guest stopped "
                + "before it started the payload; the image did not boot on this node: run the job again or with another "
                + "image, or ask the site to check this one; the guest console printed nothing"), o.reason());
        verify(hv).undefine("vmgrid-j1");
        assertFalse(Files.exists(state.resolve("j1")));
    }

    @Test
    void aPayloadPastItsTimeoutIsStopped() {
        guest("", "booted\n", false);
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.TIMEOUT), o.failure());
        verify(hv).destroy("vmgrid-j1");
    }

    @Test
    void cancellingARunningJobDestroysItsVm() throws Exception {
        doAnswer(i -> {
            Files.writeString(state.resolve("j1/status"), "booted\n");
            active.set(true);
            runner.cancel("j1");
            return null;
        }).when(hv).start("vmgrid-j1");
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.CANCELLED), o.failure());
        verify(hv).destroy("vmgrid-j1");
        assertFalse(Files.exists(state.resolve("j1")));
    }

    @Test
    void cancellingDuringTheDownloadStopsItLeavesNoPartialFileAndStillAccounts() throws Exception {
        onDownload = () -> runner.cancel("j1");
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.CANCELLED), o.failure(), o.reason());
        verify(hv, never()).define(anyString());
        try (var partial = Files.list(tmp.resolve("cache/.partial"))) {
            assertEquals(0, partial.count());
        }
        assertTrue(Files.readString(tmp.resolve("acct.jsonl")).contains("\"failure\":\"cancelled\""));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aGuestErrorIsAFailureWithTheGuestsReason() {
        guest("", "error no context disk\n", true);
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.BOOT), o.failure());
        assertTrue(o.reason().contains("the guest could not run the payload: no context disk"), o.reason());
    }

    @Test
    void aCorruptImageFailsTheJobBeforeAnyDomainExists() {
        served = "evil".getBytes(StandardCharsets.UTF_8);
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.IMAGE), o.failure());
        assertTrue(o.reason().contains("quarantined"), o.reason());
        verify(hv, never()).define(anyString());
        verify(commands, never()).runChecked(any(Command.class));
    }

    @Test
    void overlayIsMadeOnTheCachedBaseWithItsFormatNamed() throws Exception {
        guest("", "booted\nexit 0\n", true);
        runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        verify(commands).runChecked(org.mockito.ArgumentMatchers.argThat(c -> c.argv().get(0).equals("qemu-img")
                && c.argv().containsAll(List.of("create", "-f", "qcow2", "-F", "raw", "-b"))
                && c.argv().get(c.argv().size() - 1).equals(state.resolve("j1/overlay.qcow2").toString())));
    }

    @Test
    void aJobOfRootIsRefusedBeforeItTakesASlotOrAnImage() throws Exception {
        JobOutcome o = runner.run(job().forUser(new JobUser("root", 0, 0)), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.REFUSED), o.failure());
        assertTrue(o.reason().contains("a VM never runs as root"), o.reason());
        verify(hv, never()).define(anyString());
        assertFalse(Files.exists(tmp.resolve("cache")), "no image fetched");
    }

    private PilotJob cloudInitJob(String userData) {
        return new PilotJob("j1", new VmRequest(image.withGuestAgent(GuestAgent.CLOUD_INIT), 128, 1, NetworkMode.NONE,
                userData), List.of("echo", "hi"), Map.of(), workdir, Duration.ofSeconds(60), POOL_USER);
    }

    /** A runner whose process runs as the job's user, as 'vmgrid pilot run' does. */
    private JobRunner runnerOfTheJobsUser() {
        return new JobRunner(new JobRunnerParts(new ImageCache(tmp.resolve("cache"), 1 << 20,
                uri -> new java.io.ByteArrayInputStream(served), Clock.systemUTC()), new Overlays(commands),
                new ContextImages(commands), new DomainPlan(NetworkMode.NONE, Optional.empty()), DomainType.QEMU,
                new SlotLimiter(state.resolve("slots"), 2, Clock.systemUTC()), new AccountingLog(tmp.resolve("acct.jsonl")),
                state, Duration.ofSeconds(30), Duration.ofSeconds(5), 99, POOL_USER, CAPS), hv, new SteppingClock(Duration.ofSeconds(1)));
    }

    @Test
    void aStockCloudInitImageJobOfAnotherUserThanThePilotsIsRefusedBeforeItTakesAnImage() {
        JobOutcome o = runner.run(cloudInitJob(""), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.REFUSED), o.failure());
        assertTrue(o.reason().contains("this client of the pilot service does not offer that"), o.reason());
        verify(hv, never()).define(anyString());
        assertFalse(Files.exists(tmp.resolve("cache")), "no image fetched");
    }

    @Test
    void userDataThatIsAMimeMessageIsRefusedOnACloudInitImageBeforeItTakesAnImage() {
        JobOutcome o = runnerOfTheJobsUser().run(cloudInitJob("Content-Type: multipart/mixed; boundary=x\n\n--x--\n"),
                new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.REFUSED), o.failure());
        assertTrue(o.reason().contains("MIME message"), o.reason());
        verify(hv, never()).define(anyString());
        assertFalse(Files.exists(tmp.resolve("cache")), "no image fetched");
    }

    @Test
    void onACloudInitImageTheJobDirectoryGoesInOnADiskAndWhatTheGuestWroteComesBack() throws Exception {
        Files.writeString(workdir.resolve("input.txt"), "in");
        doAnswer(i -> {
            Path dir = state.resolve("j1");
            Path guest = Files.createDirectories(tmp.resolve("guest"));
            new ProcessBuilder("tar", "-x", "-f", dir.resolve("jobdir-in.tar").toString(), "-C", guest.toString())
                    .inheritIO().start().waitFor();
            assertEquals("in", Files.readString(guest.resolve("input.txt")));
            Files.writeString(guest.resolve("result.txt"), "out");
            new ProcessBuilder("tar", "-c", "-f", dir.resolve("jobdir-out.tar").toString(), "-C", guest.toString(), ".")
                    .inheritIO().start().waitFor();
            Files.writeString(dir.resolve("status"), "booted\nexit 3\n");
            return null;
        }).when(hv).start("vmgrid-j1");
        JobOutcome o = runnerOfTheJobsUser().run(cloudInitJob("#cloud-config\n{}\n"), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
        assertEquals(Optional.of(3), o.exitCode(), o.reason());
        assertEquals("out", Files.readString(workdir.resolve("result.txt")));
        verify(hv).define(org.mockito.ArgumentMatchers.contains("<serial>jobdir-out</serial>"));
        verify(hv, never()).define(org.mockito.ArgumentMatchers.contains("<filesystem"));
        assertFalse(Files.exists(state.resolve("j1")), "the job's disks are gone");
    }

    @Test
    void aJobOfAnotherUserTakesItsJobDirectoryFromTheJobDirectoryItsCallerGivesAndNeverFromTheWorkdir()
            throws Exception {
        Files.writeString(workdir.resolve("not-taken.txt"), "the pilot never reads the workdir itself");
        Path callers = Files.createDirectories(tmp.resolve("callers"));
        Files.writeString(callers.resolve("input.txt"), "in");
        java.util.List<String> returned = new java.util.ArrayList<>();
        boolean[] finished = new boolean[1];
        org.vmgrid.pilot.JobDirectory remote = new org.vmgrid.pilot.JobDirectory() {
            @Override
            public void archive(java.io.OutputStream out, long maxBytes) throws java.io.IOException {
                assertEquals(CAPS.jobdirBytes(), maxBytes);
                org.vmgrid.pilot.internal.jobdir.JobdirArchive.write(callers, out, n -> { });
            }

            @Override
            public void directory(String name) {
                returned.add(name + "/");
            }

            @Override
            public void file(String name, long size, java.io.InputStream content) throws java.io.IOException {
                returned.add(name + "=" + new String(content.readNBytes((int) size), StandardCharsets.UTF_8));
            }

            @Override
            public void finish() {
                finished[0] = true;
            }
        };
        doAnswer(i -> {
            Path dir = state.resolve("j1");
            Path guest = Files.createDirectories(tmp.resolve("guest"));
            new ProcessBuilder("tar", "-x", "-f", dir.resolve("jobdir-in.tar").toString(), "-C", guest.toString())
                    .inheritIO().start().waitFor();
            assertEquals("in", Files.readString(guest.resolve("input.txt")));
            assertFalse(Files.exists(guest.resolve("not-taken.txt")));
            Files.writeString(guest.resolve("result.txt"), "out");
            new ProcessBuilder("tar", "-c", "-f", dir.resolve("jobdir-out.tar").toString(), "-C", guest.toString(),
                    "result.txt").inheritIO().start().waitFor();
            Files.writeString(dir.resolve("status"), "booted\nexit 3\n");
            return null;
        }).when(hv).start("vmgrid-j1");
        JobOutcome o = runner.run(cloudInitJob(""), Optional.of(remote), new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), r -> { });
        assertEquals(Optional.of(3), o.exitCode(), o.reason());
        assertEquals(List.of("result.txt=out"), returned);
        assertTrue(finished[0], "the returned archive is finished");
        assertFalse(Files.exists(workdir.resolve("result.txt")), "the pilot wrote nothing into the workdir itself");
        assertFalse(Files.exists(state.resolve("j1")), "the job's disks are gone");
    }

    @Test
    void qemuRunsAsTheJobsUserAndTheJobsFilesAreReachableButNotReadableByOthers() throws Exception {
        doAnswer(i -> {
            Path dir = state.resolve("j1");
            assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
                }
            }
            Files.writeString(dir.resolve("status"), "booted\nexit 0\n");
            return null;
        }).when(hv).start("vmgrid-j1");
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(0), o.exitCode(), o.reason());
        verify(hv).define(org.mockito.ArgumentMatchers.contains("<label>+10001:+10002</label>"));
    }

    @Test
    void aSessionLibvirtServesOnlyJobsOfItsOwnUser() throws Exception {
        when(hv.runsGuestsAsAnyUser()).thenReturn(false);
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.HOST), o.failure());
        assertTrue(o.reason().contains("not as the job's user pool001"), o.reason());
        verify(hv, never()).define(anyString());
    }

    @Test
    void aWorkdirSwappedForALinkAfterTheJobWasAcceptedIsNotShared() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("someone-elses"));
        Files.setAttribute(other, "unix:uid", POOL_USER.uid()); // even one the user owns: the path changed
        doAnswer(i -> {
            if (Files.isDirectory(workdir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(workdir);
                Files.createSymbolicLink(workdir, other);
            }
            return made(i.getArgument(0));
        }).when(commands).runChecked(any());
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.REFUSED), o.failure());
        assertTrue(o.reason().contains("changed after the job was accepted"), o.reason());
        verify(hv, never()).define(anyString());
        assertFalse(Files.exists(state.resolve("j1")));
    }

    @Test
    void aWorkdirGivenAwayAfterTheJobWasAcceptedIsNotShared() throws Exception {
        doAnswer(i -> {
            Files.setAttribute(workdir, "unix:uid", 0);
            return made(i.getArgument(0));
        }).when(commands).runChecked(any());
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.REFUSED), o.failure());
        assertTrue(o.reason().contains("belongs to root, not to pool001"), o.reason());
        verify(hv, never()).define(anyString());
    }

    @Test
    void aGuestFloodingItsStdoutIsStoppedAtTheCapWithThatReason() {
        guest("x".repeat(5000), "booted\n", false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JobOutcome o = runner.run(job(), out, new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.LIMIT), o.failure(), o.reason());
        assertTrue(o.reason().contains("more than 1000 bytes to its stdout"), o.reason());
        assertEquals(1000, out.size(), "exactly the cap was relayed");
        verify(hv).destroy("vmgrid-j1");
    }

    @Test
    void anEndlessStatusLineIsReadOnlyUpToItsCapAndStopsTheGuest() {
        guest("", "booted" + "y".repeat(10_000), false);
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.LIMIT), o.failure(), o.reason());
        assertTrue(o.reason().contains("more than 100 bytes to its status port"), o.reason());
        verify(hv).destroy("vmgrid-j1");
    }

    @Test
    void aConsoleBeyondItsCapStopsTheGuestAndOnlyTheCapIsKept() throws Exception {
        doAnswer(i -> {
            Files.writeString(state.resolve("j1/console.log"), "k".repeat(3000));
            active.set(true);
            return null;
        }).when(hv).start("vmgrid-j1");
        JobOutcome o = runner.run(job(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
        assertEquals(Optional.of(FailureKind.LIMIT), o.failure(), o.reason());
        assertTrue(o.reason().contains("more than 2000 bytes to its console"), o.reason());
        assertEquals(2000, Files.size(state.resolve(".console/j1.log")));
    }
}
