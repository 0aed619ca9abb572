package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.vmgrid.appliance.ApplianceBuilder;
import org.vmgrid.appliance.ApplianceSettings;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.BatchJobCgroup;
import org.vmgrid.testing.CapturedProcess;
import org.vmgrid.testing.PrivateLibvirt;
import org.vmgrid.testing.TestSite;
import org.vmgrid.testing.Unprivileged;

/**
 * The resident pilot service as a worker node runs it: the repository's {@code ./vmgrid serve}
 * (Felix with the distribution's bundles) as its own unprivileged account, with
 * {@code service.socket} in its site's {@code pilot.properties}, a private system libvirtd (root,
 * its socket open to the service's group only) and the project's appliance; jobs sent by
 * {@code ./vmgrid pilot run --service} clients as a pool account whose job directories are its
 * own, mode 0700, and as {@code nobody}. Each VM's QEMU runs as the job's user. Three VM boots.
 * The service is stopped with SIGTERM by its PID and must remove its socket.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PilotServiceIT {

    static final Path ROOT = Path.of(System.getProperty("vmgrid.config.examples")).toAbsolutePath().normalize()
            .getParent();
    static final Path DIST = ROOT.resolve("bundles/runtime/target/vmgrid");
    private static final Duration SERVICE_START = Duration.ofMinutes(2);
    private static final Duration JOB = Duration.ofMinutes(5);
    private static final Duration TEARDOWN = Duration.ofMinutes(1);
    private static final Pattern JOB_STARTED = Pattern.compile(
            "^vmgrid pilot service: job (\\S+) of (\\S+): image (\\S+), workdir (.+)$", Pattern.MULTILINE);
    private static final Pattern JOB_ENDED = Pattern.compile("^vmgrid pilot service: job (\\S+) of \\S+ ended: (.*)$",
            Pattern.MULTILINE);

    /** The site's caps in this test: small, so that a flooding guest reaches them soon. */
    private static final int OUTPUT_CAP = 1 << 20;
    private static final int PER_USER = 4;

    private static Path shared;
    private static Path home;
    private static BuiltAppliance appliance;
    private static PrivateLibvirt libvirt;
    private static TestSite site;
    private static Path socket;
    private static CapturedProcess serve;
    private final List<CapturedProcess> clients = new ArrayList<>();

    @BeforeAll
    static void startLibvirtAndTheService() throws Exception {
        assertReadableByOthers(ROOT.resolve("vmgrid"));
        assertTrue(Files.isRegularFile(DIST.resolve("lib/vmgrid-cli.jar")), "no distribution at " + DIST
                + ": assemble it first (mvn package -pl bundles/runtime -am)");
        try (Stream<Path> files = Stream.concat(Files.list(DIST.resolve("lib")), Files.list(DIST.resolve("bundle")))) {
            for (Path f : files.toList()) {
                assertReadableByOthers(f);
            }
        }
        shared = Unprivileged.newDirectory("vmgrid-pilot-service-it");
        ApplianceSettings settings = ApplianceSettings.defaults(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH)
                .withDebCache(Path.of(System.getProperty("vmgrid.deb.cache")));
        appliance = new ApplianceBuilder(new ProcessCommandRunner(), settings).build(shared.resolve("appliance"));
        libvirt = PrivateLibvirt.start(Unprivileged.GROUP);
        site = new TestSite(Files.createDirectories(shared.resolve("site")), libvirt.uri, 300,
                appliance.image().toUri(), appliance.uuid().toString(), appliance.size(), appliance.sha512());
        socket = Files.createDirectories(site.root.resolve("run")).resolve("pilot.sock");
        Files.writeString(site.conf.resolve("pilot.properties"), "service.socket = " + socket + "\n"
                + "output.max.bytes = " + OUTPUT_CAP + "\nservice.max.connections.per.user = " + PER_USER + "\n",
                StandardOpenOption.APPEND);
        home = Files.createDirectories(shared.resolve("home"));
        Unprivileged.own(shared);
        outboundNetwork();

        serve = CapturedProcess.start(new ProcessBuilder(launcher(Unprivileged.as(home), "serve", "--config-dir",
                site.conf.toString(), "--storage", shared.resolve("felix").toString())).directory(ROOT.toFile()));
        awaitTrue(() -> serve.stdout().lines().anyMatch(l -> l.startsWith("vmgrid runtime started"))
                || !serve.isAlive(), SERVICE_START, () -> "vmgrid serve did not start: " + serve.output());
        assertTrue(serve.isAlive(), "vmgrid serve exited at start: " + serve.output());
        awaitTrue(() -> Files.exists(socket) || !serve.isAlive(), SERVICE_START,
                () -> "vmgrid serve opened no pilot socket " + socket + ": " + serve.output());
        assertTrue(serve.stderr().contains("vmgrid pilot service: taking jobs on " + socket), serve.output());
    }

    @AfterAll
    static void stopTheServiceAndLibvirt() throws Exception {
        try {
            stopOutboundNetwork();
            if (serve != null) {
                serve.sigterm(); // to the runtime's PID (the launcher execs java)
                boolean stopped = serve.process().waitFor(30, TimeUnit.SECONDS);
                if (!stopped) {
                    serve.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                assertTrue(stopped, "vmgrid serve did not stop within 30 s of SIGTERM: " + serve.output());
                assertEquals(143, serve.process().exitValue(), "the runtime's exit status after SIGTERM: "
                        + serve.output());
                assertFalse(Files.exists(socket), "the stopped service left its socket behind: " + socket);
            }
        } finally {
            try {
                if (libvirt != null) {
                    libvirt.close();
                }
            } finally {
                Unprivileged.deleteTree(shared);
            }
        }
    }

    @AfterEach
    void nothingLeft() throws Exception {
        for (CapturedProcess c : clients) {
            c.stop();
        }
        awaitTrue(() -> ended().size() >= started().size(), TEARDOWN,
                () -> "the service did not end every job it started: " + serve.stderr());
        assertEquals(List.of(), libvirt.domains(), "no domain left behind");
        if (Files.exists(site.state)) {
            try (Stream<Path> s = Files.list(site.state)) {
                assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().startsWith(".")).toList(),
                        "no job directory (overlay, ISOs) left behind");
            }
        }
        assertTrue(serve.isAlive(), "the service went away: " + serve.output());
    }

    @Test
    @Order(1)
    void theServiceRunsThePayloadInItsVmAsThePoolAccountInItsPrivateJobDirectory() throws Exception {
        Path work = workdir("round-trip");
        Path input = Files.writeString(work.resolve("input.txt"), "from the host\n");
        Unprivileged.ownByPool(input);
        Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("rw-------"));
        CapturedProcess c;
        try (BatchJobCgroup batchJob = new BatchJobCgroup("777", 1L << 30)) {
            c = client(batchJob, Unprivileged.asPool(home), socket, work, "--memory", "128", "--env",
                    "GREETING=hello there", "--", "sh", "-c", "uname -r; cat input.txt; echo \"$GREETING\";"
                            + " echo made-in-guest > output.txt; mkdir -p sub/dir && echo deeper > sub/dir/f;"
                            + " echo to-stderr >&2; exit 7");
            assertEquals(7, c.await(JOB), c.output());
        }
        assertEquals(List.of(appliance.kernelRelease(), "from the host", "hello there"), c.stdout().lines().toList(),
                "the payload's stdout, relayed by the client; stderr: " + c.stderr());
        assertNotEquals(hostKernel(), appliance.kernelRelease(), "the payload must not have run on the host");
        assertEquals("to-stderr\n", c.stderr(), "the payload's stderr, relayed by the client, and nothing else");
        assertEquals("made-in-guest\n", Files.readString(work.resolve("output.txt")), "the file the payload wrote");
        assertEquals("deeper\n", Files.readString(work.resolve("sub/dir/f")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(work)),
                "the job directory was shared as it is");
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.toList()) {
                assertEquals(Unprivileged.POOL, Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName(),
                        "what the guest wrote belongs to the job's user: " + p);
            }
        }

        String job = jobOf(work);
        assertEquals(Unprivileged.POOL, started().stream().filter(b -> b.job().equals(job)).findFirst().orElseThrow()
                .peer(), "the service knows the client by its peer credentials");
        String record = awaitAccounting(job);
        assertTrue(record.contains("\"user\":\"" + Unprivileged.POOL + "\""), "the record names the caller: " + record);
        assertTrue(record.contains("\"batchJob\":\"777\"") && record.contains("\"memoryMiB\":128"),
                "the record names the batch job the client ran in, to charge the VM to: " + record);
        assertTrue(record.contains("\"image\":\"" + appliance.uuid() + "\"") && record.contains("\"exitCode\":7")
                && record.contains("\"failure\":null") && record.contains("\"hypervisor\":\"qemu\""), record);
    }

    @Test
    void aGuestCanPlantNoSetuidSetgidDeviceOrLinkFileInTheJobDirectory() throws Exception {
        Path work = workdir("hostile");
        CapturedProcess c = client(Unprivileged.asPool(home), socket, work, "--", "sh", "-c",
                "cp /bin/busybox suid && chown 0:0 suid && chmod 4755 suid && cp /bin/busybox sgid && chmod 2755 sgid"
                        + " && mknod mem c 1 1 && mknod disk b 254 0 && mkfifo fifo && ln -s /etc/shadow link"
                        + " && mkdir sdir && chmod 6777 sdir"
                        + " && for f in suid sgid mem disk fifo link; do ls -ln $f; done && ls -lnd sdir");
        assertEquals(0, c.await(JOB), c.output());
        List<String> inGuest = c.stdout().lines().toList();
        assertTrue(inGuest.get(0).startsWith("-rwsr-xr-x") && inGuest.get(1).startsWith("-rwxr-sr-x")
                && inGuest.get(2).startsWith("c") && inGuest.get(3).startsWith("b") && inGuest.get(4).startsWith("p")
                && inGuest.get(5).startsWith("l") && inGuest.get(6).startsWith("drwsrwsrwx"),
                "in the guest the payload made them as it asked: " + c.stdout());
        try (Stream<Path> s = Files.list(work)) {
            List<Path> made = s.toList();
            assertEquals(7, made.size(), made.toString());
            for (Path p : made) {
                var a = Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                assertTrue(a.isRegularFile() || a.isDirectory(), "on the host only plain files and directories: " + p);
                assertEquals(0, mode & 07000, "no setuid, setgid or sticky bit on the host: " + p + " "
                        + Integer.toOctalString(mode));
                assertEquals(Unprivileged.POOL, a.owner().getName(), "owned by the job's user: " + p);
                assertEquals(a.isDirectory() ? "rwx------" : "rw-------", PosixFilePermissions.toString(a.permissions()),
                        p.toString());
            }
        }
    }

    @Test
    void sigtermToTheClientCancelsTheJobInTheService() throws Exception {
        Path work = workdir("cancelled");
        CapturedProcess c = client(Unprivileged.asPool(home), socket, work, "--", "sh", "-c", "echo started; sleep 600");
        awaitTrue(() -> c.stdout().contains("started") || !c.isAlive(), JOB,
                () -> "the payload never said it started: " + c.output());
        assertTrue(c.isAlive(), "the client ended before it was cancelled: " + c.output());
        long t0 = System.nanoTime();
        c.sigterm(); // to the client's PID, keeping our ends of its pipes open
        assertEquals(143, c.await(Duration.ofSeconds(20)), c.output());
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertTrue(seconds <= 12, "the client took " + seconds + " s to end after SIGTERM (it waits at most 9 s)");
        assertTrue(c.stderr().strip().matches("vmgrid pilot run: job \\S+: .*was cancelled.*"),
                "one line with the reason: " + c.output());

        String job = jobOf(work);
        awaitTrue(() -> endOf(job).isPresent(), TEARDOWN, () -> "the service never ended job " + job + ": "
                + serve.stderr());
        assertTrue(endOf(job).get().startsWith("CANCELLED"), "the service's end of the job: " + endOf(job).get());
        assertEquals(List.of(), libvirt.domains(), "the cancelled job's VM is destroyed");
        try (Stream<Path> s = Files.list(site.state)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().equals(job)).toList(),
                    "the cancelled job's files are removed");
        }
        assertTrue(awaitAccounting(job).contains("\"failure\":\"cancelled\""), "the accounting record of " + job);
    }

    @Test
    void anotherUserMayNotShareSomeoneElsesWorkdirIntoAVm() throws Exception {
        Path work = workdir("not-nobodys");
        boolean hadPerfDir = Files.exists(Path.of("/tmp/hsperfdata_nobody"));
        List<String> nobody = nobody();
        try {
            CapturedProcess c = client(nobody, socket, work, "--", "sh", "-c", "echo ran > ran.txt");
            assertEquals(64, c.await(Duration.ofMinutes(1)), c.output());
            assertTrue(c.stderr().contains("belongs to " + Unprivileged.POOL + ", not to nobody"), c.stderr());
            assertEquals(1, c.stderr().lines().count(), "one line of reason: " + c.stderr());
        } finally {
            if (!hadPerfDir) { // the JVM's per-user perf-data directory, which it never removes
                try {
                    Files.deleteIfExists(Path.of("/tmp/hsperfdata_nobody"));
                } catch (DirectoryNotEmptyException e) {
                    // a JVM of nobody's still runs: not ours to remove
                }
            }
        }
        String refusal = "vmgrid pilot service: refused a job of nobody: --workdir " + work + " belongs to";
        awaitTrue(() -> serve.stderr().contains(refusal), Duration.ofSeconds(10),
                () -> "the service did not log the refusal: " + serve.stderr());
        assertFalse(started().stream().anyMatch(b -> b.peer().equals("nobody")), "no job of nobody began: "
                + serve.stderr());
        assertEquals(List.of(), libvirt.domains(), "no VM started for a refused job");
        assertFalse(Files.exists(work.resolve("ran.txt")));
    }

    @Test
    void aClientOfASocketWhereNothingListensFailsWithTheHostCode() throws Exception {
        Path stale = Files.createDirectories(shared.resolve("stale")).resolve("pilot.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(stale)); // closing it leaves the file, with nobody listening
        }
        Unprivileged.own(stale.getParent());
        Path work = workdir("unreachable");
        CapturedProcess c = client(Unprivileged.asPool(home), stale, work, "--", "true");
        assertEquals(79, c.await(Duration.ofMinutes(1)), c.output());
        assertTrue(c.stderr().contains("cannot reach the pilot service at " + stale), c.stderr());
        assertEquals(1, c.stderr().lines().count(), "one line of reason: " + c.stderr());
    }

    @Test
    @Order(2)
    void aLocalUserCanOpenNoLockFileOfTheService() throws Exception {
        // the jobs before this one made the slot and cache locks
        Path slots = site.state.resolve(".slots");
        Path cacheLocks = site.cache.resolve(".locks");
        assertTrue(Files.isDirectory(slots) && Files.isDirectory(cacheLocks), "no job has run yet");
        List<Path> locks = new ArrayList<>();
        try (Stream<Path> a = Files.list(slots); Stream<Path> b = Files.list(cacheLocks)) {
            locks.addAll(a.toList());
            locks.addAll(b.toList());
        }
        assertFalse(locks.isEmpty());
        for (Path lock : locks) {
            for (List<String> who : List.of(Unprivileged.asPool(home), nobody())) {
                List<String> argv = new ArrayList<>(who);
                argv.addAll(List.of("sh", "-c", "exec 3<\"$1\"", "sh", lock.toString()));
                CapturedProcess p = CapturedProcess.start(new ProcessBuilder(argv));
                assertNotEquals(0, p.await(Duration.ofSeconds(30)), "opened " + lock + " as " + who.get(1) + p.output());
                assertTrue(p.stderr().contains("Permission denied"), p.output());
            }
        }
    }

    @Test
    void oneUsersIdleConnectionsKeepNoOtherUserOut() throws Exception {
        Path program = Files.writeString(shared.resolve("IdleClients.java"), IDLE_CLIENTS);
        List<String> argv = new ArrayList<>(nobody());
        argv.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:-UsePerfData",
                program.toString(), socket.toString(), Integer.toString(5 * PER_USER)));
        CapturedProcess idle = CapturedProcess.start(new ProcessBuilder(argv));
        clients.add(idle);
        awaitTrue(() -> idle.stdout().contains("refused:") || !idle.isAlive(), Duration.ofMinutes(2),
                () -> "the idle clients were never refused: " + idle.output());
        assertTrue(idle.isAlive(), idle.output());
        assertTrue(idle.stdout().contains("is busy for nobody: " + PER_USER + " of its connections are open (at most "
                + PER_USER + " per user)"), idle.output());
        // while nobody keeps open all it may, the pool account is served: its request is answered on its merits
        Path work = workdir("while-idle");
        CapturedProcess c = client(Unprivileged.asPool(home), socket, work, "--image", "no-such-image", "--", "true");
        assertEquals(75, c.await(Duration.ofMinutes(1)), c.output());
        assertTrue(c.stderr().contains("--image names image no-such-image, which this site cannot run"), c.output());
        assertTrue(idle.isAlive(), "the idle clients ran all along: " + idle.output());
        idle.stop();
    }

    @Test
    void aJobDirectoryInAHomeClosedToThePilotServiceIsRefusedSayingWhy() throws Exception {
        Path closedHome = Unprivileged.poolJobDirectory(site.root, "closed-home");
        Path work = Unprivileged.poolJobDirectory(closedHome, "job");
        CapturedProcess c = client(Unprivileged.asPool(home), socket, work, "--", "true");
        assertEquals(64, c.await(Duration.ofMinutes(1)), c.output());
        assertTrue(c.stderr().contains("cannot be reached by the pilot: a directory on its path is closed to it"),
                c.output());
    }

    @Test
    void aJobCannotGetMoreVmThanItsBatchJobsAllocation() throws Exception {
        Path work = workdir("over-allocation");
        try (BatchJobCgroup batchJob = new BatchJobCgroup("778", 300L << 20)) {
            CapturedProcess c = client(batchJob, Unprivileged.asPool(home), socket, work, "--memory", "128", "--",
                    "true");
            assertEquals(64, c.await(Duration.ofMinutes(1)), c.output());
            assertTrue(c.stderr().contains("--memory 128 MiB and the site's overhead of 256 MiB exceed the batch "
                    + "job's memory of 300 MiB"), c.output());
        }
        assertEquals(List.of(), libvirt.domains(), "no VM started");
    }

    @Test
    void aWorkdirSwappedForALinkAfterTheJobWasAcceptedIsNotShared() throws Exception {
        Path victim = Files.createDirectories(site.root.resolve("service-private"));
        Files.writeString(victim.resolve("secret"), "the service's secret\n");
        Unprivileged.own(victim);
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rwx------"));
        Path poolHome = Unprivileged.poolJobDirectory(site.root, "pool-home");
        Files.setPosixFilePermissions(poolHome, PosixFilePermissions.fromString("rwx--x--x")); // searchable, as homes are
        Path mine = Unprivileged.poolJobDirectory(poolHome, "another-of-mine");
        // to another user's directory: its owner is checked again; to one of the user's own: the path changed
        CapturedProcess toVictim = acceptedThenSwapped(Unprivileged.poolJobDirectory(poolHome, "work-swap"), victim);
        assertTrue(toVictim.stderr().contains("service-private belongs to " + Unprivileged.USER + ", not to "
                + Unprivileged.POOL), toVictim.output());
        assertFalse(toVictim.stdout().contains("secret"), toVictim.output());
        assertFalse(Files.exists(victim.resolve("pwned")));
        CapturedProcess toMine = acceptedThenSwapped(Unprivileged.poolJobDirectory(poolHome, "work-swap-2"), mine);
        assertTrue(toMine.stderr().contains("changed after the job was accepted, so nothing is shared"),
                toMine.output());
        assertFalse(Files.exists(mine.resolve("pwned")));
        assertEquals(List.of(), libvirt.domains(), "no VM started");
    }

    /**
     * A job of the pool account in {@code work}, accepted while every VM slot is busy (the test holds
     * the slot locks), whose directory the account then swaps for a link to {@code target}; the slots
     * are freed and the job's end awaited: refused, exit 64.
     */
    private CapturedProcess acceptedThenSwapped(Path work, Path target) throws Exception {
        List<FileChannel> held = new ArrayList<>();
        try {
            Files.createDirectories(site.state.resolve(".slots"));
            for (int i = 0; i < 4; i++) {
                Path slot = site.state.resolve(".slots/slot-" + i + ".lock");
                if (!Files.exists(slot)) { // the service's own file, as it would have made it
                    Files.createFile(slot);
                    Unprivileged.own(slot);
                    Files.setPosixFilePermissions(slot, PosixFilePermissions.fromString("rw-------"));
                }
                FileChannel ch = FileChannel.open(slot, StandardOpenOption.WRITE);
                held.add(ch);
                ch.lock();
            }
            CapturedProcess c = client(Unprivileged.asPool(home), socket, work, "--", "sh", "-c",
                    "cat secret; echo pwned > pwned");
            jobOf(work); // accepted: the service logged the job
            List<String> swap = new ArrayList<>(Unprivileged.asPool(home));
            swap.addAll(List.of("sh", "-c", "mv \"$1\" \"$1.old\" && ln -s \"$2\" \"$1\"", "sh", work.toString(),
                    target.toString()));
            assertEquals(0, CapturedProcess.start(new ProcessBuilder(swap)).await(Duration.ofSeconds(30)));
            for (FileChannel ch : held) {
                ch.close(); // frees its lock
            }
            held.clear();
            assertEquals(64, c.await(JOB), c.output());
            return c;
        } finally {
            for (FileChannel ch : held) {
                ch.close();
            }
        }
    }

    @Test
    void aGuestFloodingItsOutputIsStoppedAtTheCapAndItsTeardownDoesNotWaitForAClientThatDoesNotRead()
            throws Exception {
        Path work = workdir("flood");
        CapturedProcess c = client(Unprivileged.asPool(home), socket, work, "--", "sh", "-c",
                "sleep 2; head -c 50000000 /dev/zero; echo done > done.txt");
        String job = jobOf(work);
        signal("STOP", c); // the client reads nothing from now on
        try {
            awaitTrue(() -> endOf(job).isPresent(), JOB, () -> "the service never ended job " + job + " while its "
                    + "client was stopped: " + serve.stderr());
            assertTrue(endOf(job).get().startsWith("LIMIT: the payload wrote more than " + OUTPUT_CAP
                    + " bytes to its stdout"), endOf(job).get());
            assertEquals(List.of(), libvirt.domains(), "the guest was stopped and its VM torn down");
            assertTrue(awaitAccounting(job).contains("\"failure\":\"limit\""));
            assertFalse(Files.exists(work.resolve("done.txt")), "the payload did not run on past the cap");
        } finally {
            signal("CONT", c);
        }
        assertEquals(80, c.await(Duration.ofMinutes(2)), c.stderr());
        assertTrue(c.stderr().contains("more than " + OUTPUT_CAP + " bytes to its stdout"), c.stderr());
        assertTrue(c.stdout().length() <= OUTPUT_CAP, "at most the cap was relayed: " + c.stdout().length());
    }

    @Test
    void aGuestWritingAnEndlessStatusLineIsStoppedWithThatReason() throws Exception {
        Path work = workdir("status-flood");
        CapturedProcess c = client(Unprivileged.asPool(home), socket, work, "--", "sh", "-c",
                "for n in /sys/class/virtio-ports/*/name; do [ \"$(cat \"$n\")\" = org.vmgrid.status ] || continue;"
                        + " d=${n%/name}; tr -d '\\n' </dev/zero >\"/dev/${d##*/}\"; done; exit 0");
        assertEquals(80, c.await(JOB), c.output());
        assertTrue(c.stderr().contains("the guest wrote more than 4096 bytes to its status port"), c.stderr());
        assertTrue(serve.isAlive(), "the service outlived the flood: " + serve.output());
    }

    @Test
    void anOutboundGuestReachesAnAllowedServiceOfTheNodeButNothingElseOfIt() throws Exception {
        Optional<String> nodeAddress = nodeAddress();
        String payload = "for t in 10.0.2.2:" + allowed.port() + " 10.0.2.2:" + forbidden.port()
                + nodeAddress.map(a -> " " + a + ":" + forbidden.port()).orElse("") + " 169.254.169.254:80; do"
                + " r=$(nc -w 10 ${t%:*} ${t#*:} </dev/null 2>/dev/null); echo \"$t ${r:-blocked}\"; done";
        Path work = workdir("outbound");
        CapturedProcess c = client(Unprivileged.asPool(home), socket, work, "--network", "outbound", "--", "sh", "-c",
                payload);
        assertEquals(0, c.await(JOB), c.output());
        List<String> lines = c.stdout().lines().toList();
        assertTrue(lines.contains("10.0.2.2:" + allowed.port() + " " + Listener.BANNER),
                "the node's allowed service is reached through QEMU's gateway address: " + c.output());
        assertTrue(lines.contains("10.0.2.2:" + forbidden.port() + " blocked"), "the node's loopback: " + c.output());
        nodeAddress.ifPresent(a -> assertTrue(lines.contains(a + ":" + forbidden.port() + " blocked"),
                "the node's own address " + a + ": " + c.output()));
        assertTrue(lines.contains("169.254.169.254:80 blocked"), "link-local: " + c.output());
        assertEquals(0, forbidden.accepted(), "the node's service that is not allowed never saw the guest");
        assertEquals(1, allowed.accepted(), "the allowed service saw the guest once");
    }

    // ---- helpers ----

    /** A fresh job directory of the pool account, mode 0700. */
    private static Path workdir(String name) throws IOException {
        return Unprivileged.poolJobDirectory(site.root, "work-" + name);
    }

    private CapturedProcess client(List<String> as, Path sock, Path workdir, String... rest) throws IOException {
        return client(null, as, sock, workdir, rest);
    }

    /** A client in a batch job's cgroup (null: in the test's own). */
    private CapturedProcess client(BatchJobCgroup batchJob, List<String> as, Path sock, Path workdir, String... rest)
            throws IOException {
        List<String> options = new ArrayList<>(List.of(rest));
        String image = appliance.uuid().toString();
        if (options.size() > 1 && options.get(0).equals("--image")) {
            image = options.remove(1);
            options.remove(0);
        }
        List<String> argv = launcher(as, "pilot", "run", "--service", sock.toString(), "--image", image, "--workdir",
                workdir.toString(), "--timeout", "300");
        argv.addAll(options);
        if (batchJob != null) {
            argv = batchJob.wrap(argv);
        }
        CapturedProcess c = CapturedProcess.start(new ProcessBuilder(argv).directory(ROOT.toFile()));
        clients.add(c);
        return c;
    }

    /** The outbound group of this test (unique, so that its firewall rules touch no one else's processes). */
    private static final String OUTBOUND_GROUP = "vmgrid-t" + Long.toHexString(System.nanoTime() & 0xffffffL);
    private static Listener allowed;
    private static Listener forbidden;
    private static boolean groupMade;

    /**
     * The site allows outbound network: a group of its own for outbound guests' QEMU, two services
     * of the node's (one on its loopback that the site allows guests to reach, one on all its
     * addresses that it does not), and the node's firewall for that group, applied by
     * {@code vmgrid pilot firewall --apply} as root.
     */
    private static void outboundNetwork() throws Exception {
        allowed = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        forbidden = new Listener(new InetSocketAddress(0));
        new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(30), "groupadd", "--system", OUTBOUND_GROUP));
        groupMade = true;
        Files.writeString(site.conf.resolve("pilot.properties"), "outbound.group = " + OUTBOUND_GROUP + "\n"
                + "outbound.allow = 127.0.0.1/32 tcp " + allowed.port() + "\n", StandardOpenOption.APPEND);
        Files.writeString(site.conf.resolve("limits.properties"), "network.max = outbound\n", StandardOpenOption.APPEND);
        CapturedProcess fw = CapturedProcess.start(new ProcessBuilder(launcher(List.of(), "pilot", "firewall",
                "--config-dir", site.conf.toString(), "--apply")).directory(ROOT.toFile()));
        assertEquals(0, fw.await(Duration.ofMinutes(1)), fw.output());
    }

    private static void stopOutboundNetwork() throws Exception {
        try {
            if (groupMade) {
                CapturedProcess fw = CapturedProcess.start(new ProcessBuilder(launcher(List.of(), "pilot", "firewall",
                        "--config-dir", site.conf.toString(), "--remove")).directory(ROOT.toFile()));
                assertEquals(0, fw.await(Duration.ofMinutes(1)), fw.output());
                new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(30), "groupdel", OUTBOUND_GROUP));
            }
        } finally {
            for (Listener l : new Listener[] {allowed, forbidden}) {
                if (l != null) {
                    l.close();
                }
            }
        }
    }

    /** A service of the node: answers each connection with a banner line, and counts them. */
    private static final class Listener implements AutoCloseable {
        static final String BANNER = "a service of the node";
        private final java.net.ServerSocket server = new java.net.ServerSocket();
        private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

        Listener(InetSocketAddress where) throws IOException {
            server.bind(where);
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (java.net.Socket s = server.accept()) {
                        accepted.incrementAndGet();
                        s.getOutputStream().write((BANNER + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // closed, or the client went away
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** One of this node's own IPv4 addresses that is not a loopback one, if it has any. */
    private static Optional<String> nodeAddress() throws IOException {
        for (java.net.NetworkInterface n : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : java.util.Collections.list(n.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }

    /** argv prefix running the rest as {@code nobody}, a local user with no business on the service. */
    private static List<String> nobody() {
        return List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "env", "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/nonexistent");
    }

    /** Sends SIGSTOP or SIGCONT to a process the test started, by its PID. */
    private static void signal(String name, CapturedProcess p) {
        new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(10), "kill", "-" + name,
                Long.toString(p.process().pid())));
    }

    /**
     * A local user's program (run by the java source launcher) that keeps N connections to the
     * socket open, sending nothing and opening a new one whenever one is closed; it prints the
     * service's first refusals.
     */
    private static final String IDLE_CLIENTS = """
            import java.net.UnixDomainSocketAddress;
            import java.nio.ByteBuffer;
            import java.nio.channels.SocketChannel;
            import java.nio.charset.StandardCharsets;
            import java.util.ArrayList;
            import java.util.List;
            public class IdleClients {
                public static void main(String[] a) throws Exception {
                    int want = Integer.parseInt(a[1]);
                    int told = 0;
                    List<SocketChannel> open = new ArrayList<>();
                    while (true) {
                        while (open.size() < want) {
                            SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(a[0]));
                            ch.configureBlocking(false);
                            open.add(ch);
                        }
                        Thread.sleep(200);
                        for (SocketChannel ch : new ArrayList<>(open)) {
                            ByteBuffer b = ByteBuffer.allocate(4096);
                            int n = ch.read(b);
                            if (n == 0) {
                                continue;
                            }
                            if (n > 0 && told++ < 5) {
                                System.out.println("refused: " + new String(b.array(), 0, b.position(),
                                        StandardCharsets.UTF_8).replaceAll("[^\\\\x20-\\\\x7e]", " "));
                                System.out.flush();
                            }
                            ch.close();
                            open.remove(ch);
                        }
                    }
                }
            }
            """;


    /** argv of the repository's launcher, run by {@code as} (a setpriv prefix). */
    private static List<String> launcher(List<String> as, String... args) {
        List<String> argv = new ArrayList<>(as);
        argv.add(ROOT.resolve("vmgrid").toString());
        argv.addAll(List.of(args));
        return argv;
    }

    /** A job as the service logged its beginning: its id, the caller's user name and the workdir. */
    private record Begun(String job, String peer, String workdir) {
    }

    private static List<Begun> started() {
        List<Begun> jobs = new ArrayList<>();
        Matcher m = JOB_STARTED.matcher(serve.stderr());
        while (m.find()) {
            jobs.add(new Begun(m.group(1), m.group(2), m.group(4)));
        }
        return jobs;
    }

    private static List<String> ended() {
        List<String> jobs = new ArrayList<>();
        Matcher m = JOB_ENDED.matcher(serve.stderr());
        while (m.find()) {
            jobs.add(m.group(1));
        }
        return jobs;
    }

    /** What the service logged at the end of a job ("exit 7", "CANCELLED: ..."). */
    private static Optional<String> endOf(String job) {
        Matcher m = JOB_ENDED.matcher(serve.stderr());
        while (m.find()) {
            if (m.group(1).equals(job)) {
                return Optional.of(m.group(2));
            }
        }
        return Optional.empty();
    }

    /** The id of the one job the service began in {@code workdir} (its log line may trail the client's end). */
    private static String jobOf(Path workdir) throws InterruptedException {
        awaitTrue(() -> started().stream().anyMatch(b -> b.workdir().equals(workdir.toString())),
                Duration.ofSeconds(10), () -> "the service logged no job in " + workdir + ": " + serve.stderr());
        List<String> jobs = started().stream().filter(b -> b.workdir().equals(workdir.toString())).map(Begun::job)
                .toList();
        assertEquals(1, jobs.size(), "jobs the service began in " + workdir + ": " + serve.stderr());
        return jobs.get(0);
    }

    /** The job's accounting line, written once its VM is torn down (after the client has its result). */
    private static String awaitAccounting(String job) throws Exception {
        String key = "{\"job\":\"" + job + "\",";
        awaitTrue(() -> accounting().stream().anyMatch(l -> l.startsWith(key)), TEARDOWN,
                () -> "no accounting record of job " + job + " in " + site.accounting + ": " + accounting());
        return accounting().stream().filter(l -> l.startsWith(key)).findFirst().orElseThrow();
    }

    private static List<String> accounting() {
        try {
            return Files.exists(site.accounting) ? Files.readAllLines(site.accounting) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hostKernel() {
        return new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(5), "uname", "-r")).stdoutText()
                .strip();
    }

    /** The service and its clients run as other users: the launcher and the distribution must be theirs to read. */
    private static void assertReadableByOthers(Path file) throws IOException {
        for (Path p = file; p != null; p = p.getParent()) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
            boolean ok = mode.contains(PosixFilePermission.OTHERS_READ)
                    && (!Files.isDirectory(p) || mode.contains(PosixFilePermission.OTHERS_EXECUTE));
            assertTrue(ok, p + " is closed to other users (" + mode + "): the service and its clients run as "
                    + Unprivileged.USER + " and nobody");
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration bound, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("after " + bound.toSeconds() + " s: " + what.get());
            }
            Thread.sleep(100);
        }
    }
}
