package org.vmgrid.pilot.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.vmgrid.appliance.ApplianceBuilder;
import org.vmgrid.appliance.ApplianceSettings;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.CapturedProcess;
import org.vmgrid.testing.PrivateLibvirt;
import org.vmgrid.testing.Unprivileged;

/**
 * Warm starts for real: the pilot service (as its unprivileged account) with a private system
 * libvirtd, the appliance (guest contract 2), jobs of the pool account through the service's socket.
 * The first jobs boot and goldens are made behind them (as libvirt's own QEMU user), one per VM
 * slot; then two clones restored at once share no random bytes, boot id, files or memory, and run as
 * the job's user; a later clone sees nothing of an earlier one; a golden that fails to restore falls
 * back to a boot and says so; a new image version makes the goldens stale and jobs boot while the
 * new one is made. The tests run in order on one service. No timing is asserted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WarmStartIT {

    private static Path shared;
    private static BuiltAppliance appliance;
    private static PrivateLibvirt libvirt;
    private static String classPath;
    private static Path site;
    private static Path conf;
    private static Path socket;
    private static CapturedProcess service;
    private static final Map<String, String> secrets = new HashMap<>();

    @BeforeAll
    static void startTheNode() throws Exception {
        shared = Unprivileged.newDirectory("vmgrid-warm-it");
        appliance = new ApplianceBuilder(new ProcessCommandRunner(), settings(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH))
                .build(shared.resolve("appliance"));
        classPath = Unprivileged.readableClassPath(Files.createDirectories(shared.resolve("classpath")));
        site = shared.resolve("site");
        conf = Files.createDirectories(site.resolve("conf"));
        Files.createDirectories(site.resolve("jobs"));
        Files.createDirectories(site.resolve("run"));
        socket = site.resolve("run/pilot.sock");
        Files.writeString(conf.resolve("pilot.properties"), "hypervisor = qemu\nlibvirt.uri = " + "%s"
                + "\ncache.dir = " + site.resolve("cache") + "\ncache.max.bytes = 1073741824\nslots = 2\nboot.timeout = 300"
                + "\nstate.dir = " + site.resolve("state") + "\naccounting.file = " + site.resolve("accounting.jsonl")
                + "\nservice.socket = " + socket + "\n");
        Files.writeString(conf.resolve("limits.properties"), "memory.default = 128\n");
        Files.writeString(conf.resolve("images.properties"), "catalogs = list.json\ntrust.unsigned = true\n");
        String list = Files.readString(appliance.imageList());
        assertTrue(list.contains("\"vmgrid:guestcontract\": 2"), "the appliance says it speaks guest contract 2");
        Files.writeString(conf.resolve("list.json"), list);
        Unprivileged.own(shared);
        libvirt = PrivateLibvirt.start(Unprivileged.GROUP);
        String props = Files.readString(conf.resolve("pilot.properties")).replace("%s", libvirt.uri);
        Files.writeString(conf.resolve("pilot.properties"), props);
        startService();
    }

    private static ApplianceSettings settings(long sourceDateEpoch) {
        return ApplianceSettings.defaults(sourceDateEpoch).withDebCache(Path.of(System.getProperty("vmgrid.deb.cache")));
    }

    private static void startService() throws Exception {
        List<String> argv = Unprivileged.as(site);
        argv.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:-UsePerfData",
                "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", classPath, ServiceDriver.class.getName(),
                conf.toString()));
        service = CapturedProcess.start(new ProcessBuilder(argv));
        for (int i = 0; i < 1800 && !service.stdout().contains(ServiceDriver.READY); i++) {
            if (!service.isAlive()) {
                fail("the pilot service ended: " + service.stderr());
            }
            Thread.sleep(100);
        }
        assertTrue(service.stdout().contains(ServiceDriver.READY), service.stderr());
    }

    private static void stopService() throws Exception {
        service.process().getOutputStream().close();
        service.await(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stopTheNode() throws Exception {
        try {
            if (service != null) {
                stopService();
            }
            if (libvirt != null) {
                assertEquals(List.of(), libvirt.domains(), "no domain left behind");
                libvirt.close();
            }
        } finally {
            Unprivileged.deleteTree(shared);
        }
    }

    /** One job of the pool account through the service's socket, started (not awaited). */
    private static CapturedProcess job(String name, String... cmd) throws IOException {
        Path work = Unprivileged.poolJobDirectory(site.resolve("jobs"), name);
        List<String> argv = Unprivileged.asPool(site);
        argv.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:-UsePerfData", "-cp", classPath,
                ClientDriver.class.getName(), socket.toString(), appliance.uuid().toString(), work.toString(), "300"));
        argv.addAll(List.of(cmd));
        return CapturedProcess.start(new ProcessBuilder(argv));
    }

    private static String await(CapturedProcess p) throws InterruptedException {
        int code = p.await(Duration.ofMinutes(10));
        assertEquals(0, code, p.stderr() + "\nservice log:\n" + service.stderr());
        return p.stdout();
    }

    /** The accounting records, oldest first. */
    private static List<String> records() throws IOException {
        Path f = site.resolve("accounting.jsonl");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    /**
     * The records of the jobs since {@code before} records were there, once all {@code n} are written
     * (the service writes a job's record after its result, when the VM is torn down).
     */
    private static List<String> newRecords(int before, int n) throws Exception {
        for (int i = 0; i < 3000 && records().size() < before + n; i++) {
            Thread.sleep(100);
        }
        List<String> r = records();
        assertEquals(before + n, r.size(), "accounting records: " + r);
        return r.subList(before, r.size());
    }

    private static String newRecord(int before) throws Exception {
        return newRecords(before, 1).get(0);
    }

    /** Waits (bounded) until the service has made goldens for slots 0 and 1, and nothing is being made. */
    private static List<Path> awaitGoldens(int slots) throws Exception {
        for (int i = 0; i < 1800; i++) {
            List<Path> made = goldens();
            if (made.size() >= slots) {
                return made;
            }
            assertFalse(service.stderr().contains("could not be made"), service.stderr());
            Thread.sleep(500);
        }
        return fail("no goldens were made within 15 minutes; service log:\n" + service.stderr());
    }

    /** The golden records there are: {@code golden/<key>/<slot>/golden.properties}. */
    private static List<Path> goldens() throws IOException {
        Path root = site.resolve("golden");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().equals("golden.properties")).sorted().toList();
        }
    }

    /** A payload that leaves a secret in its VM, waits, and tells what its VM is made of. */
    private static String[] probe(String secret) {
        // the script spells the marker's prefix in two halves, so that its own text is never found
        return new String[] {"sh", "-c", "S=$1; P=secr; P=${P}et-; echo \"$S\" > /root/secret; echo \"$S\" > /run/secret;"
                + " X=$S; sleep 4; found=$(cat /root/secret /run/secret $(grep -rl \"$P\" /root /run /tmp /etc 2>/dev/null)"
                + " 2>/dev/null | grep -o \"$P[0-9a-f][0-9a-f-]*\" | sort -u | tr '\\n' ' ');"
                + " echo \"bootid $(cat /proc/sys/kernel/random/boot_id)\";"
                + " echo \"random $(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n')\";"
                + " echo \"uuid $(cat /proc/sys/kernel/random/uuid)\";"
                + " echo \"found $found\"; echo \"reseeded $(dmesg | grep -c 'crng reseeded due to virtual machine fork')\";"
                + " echo \"time $(date +%s)\"; echo \"$X\" > written.txt", "probe", secret};
    }

    private static Map<String, String> fields(String out) {
        Map<String, String> m = new HashMap<>();
        for (String l : out.split("\n")) {
            int sp = l.indexOf(' ');
            if (sp > 0) {
                m.put(l.substring(0, sp), l.substring(sp + 1).strip());
            }
        }
        return m;
    }

    @Test
    @Order(1)
    void theFirstJobsBootAndGoldensAreMadeBehindThem() throws Exception {
        int before = records().size();
        CapturedProcess a = job("a", "sh", "-c", "echo first");
        CapturedProcess b = job("b", "sh", "-c", "echo second");
        assertEquals("first\n", await(a));
        assertEquals("second\n", await(b));
        for (String r : newRecords(before, 2)) {
            assertTrue(r.contains("\"vmStart\":\"cold\",\"vmStartNote\":\"no golden "), r);
        }
        List<Path> made = awaitGoldens(2);
        assertEquals(2, made.size(), "one golden per VM slot: " + made);
        assertTrue(service.stderr().contains(" made in "), service.stderr());
    }

    @Test
    @Order(2)
    void twoClonesAtOnceShareNoRandomBytesBootIdFilesOrMemory() throws Exception {
        String c = "secret-" + UUID.randomUUID();
        String d = "secret-" + UUID.randomUUID();
        secrets.put("c", c);
        secrets.put("d", d);
        int before = records().size();
        CapturedProcess pc = job("c", probe(c));
        CapturedProcess pd = job("d", probe(d));
        Map<String, String> fc = fields(await(pc));
        Map<String, String> fd = fields(await(pd));
        for (String rec : newRecords(before, 2)) {
            assertTrue(rec.contains("\"vmStart\":\"warm\""), "restored from the goldens: " + rec);
            assertTrue(rec.contains("\"user\":\"" + Unprivileged.POOL + "\""), rec);
        }
        assertNotEquals(fc.get("bootid"), fd.get("bootid"));
        assertNotEquals(fc.get("random"), fd.get("random"));
        assertEquals(64, fc.get("random").length(), fc.toString());
        assertNotEquals(fc.get("uuid"), fd.get("uuid"));
        assertEquals(c, fc.get("found"), "clone c sees its own secret only");
        assertEquals(d, fd.get("found"), "clone d sees its own secret only");
        assertEquals("1", fc.get("reseeded"), "the kernel reseeded on the new VM generation id");
        assertEquals("1", fd.get("reseeded"));
        long now = Instant.now().getEpochSecond();
        assertTrue(Math.abs(Long.parseLong(fc.get("time")) - now) < 600, "the host's time, not the golden's: " + fc);
        // the files the guests wrote are the job's user's (the goldens were made as libvirt's own QEMU user)
        for (String job : List.of("c", "d")) {
            Path written = site.resolve("jobs").resolve(job).resolve("written.txt");
            assertEquals(secrets.get(job) + "\n", Files.readString(written));
            assertEquals(Unprivileged.POOL, Files.getOwner(written).getName());
        }
        // the goldens hold no job's data
        for (Path g : goldens()) {
            byte[] state = Files.readAllBytes(g.resolveSibling("state"));
            String text = new String(state, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(c) || text.contains(d), "a golden's state holds a job's secret: " + g);
        }
    }

    @Test
    @Order(3)
    void aLaterCloneInTheSameSlotSeesNothingOfAnEarlierOne() throws Exception {
        String e = "secret-" + UUID.randomUUID();
        int before = records().size();
        Map<String, String> fe = fields(await(job("e", probe(e))));
        assertTrue(newRecord(before).contains("\"vmStart\":\"warm\""), newRecord(before));
        assertEquals(e, fe.get("found"), "nothing of c or d: each job gets a fresh restore");
    }

    @Test
    @Order(4)
    void aGoldenThatFailsToRestoreFallsBackToABootAndSaysSo() throws Exception {
        List<Path> before = goldens();
        for (Path g : before) {
            // libvirt refuses a restore whose generation id is not the saved one (its ABI check)
            String p = Files.readString(g).replaceAll("genid=[0-9a-f-]+", "genid=00000000-0000-0000-0000-000000000001");
            Files.writeString(g, p);
        }
        int n = records().size();
        assertEquals("still runs\n", await(job("f", "sh", "-c", "echo still runs")));
        String r = newRecord(n);
        assertTrue(r.contains("\"vmStart\":\"cold\"") && r.contains("failed to restore (") && r.contains("it was removed "
                + "and the VM booted"), r);
        assertTrue(service.stderr().contains("failed to restore"), service.stderr());
        assertEquals(before.size() - 1, goldens().size(), "the golden that failed is gone: " + goldens());
    }

    @Test
    @Order(5)
    void aNewImageVersionMakesTheGoldensStaleAndJobsBootWhileTheNewOneIsMade() throws Exception {
        stopService();
        BuiltAppliance v2 = new ApplianceBuilder(new ProcessCommandRunner(),
                settings(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH + 86400)).build(shared.resolve("appliance-v2"));
        assertNotEquals(appliance.sha512(), v2.sha512());
        // the same image (UUID), a new version of its bytes
        String list = Files.readString(conf.resolve("list.json")).replace(appliance.sha512(), v2.sha512())
                .replace("\"hv:size\": " + appliance.size(), "\"hv:size\": " + v2.size())
                .replace(appliance.image().toUri().toASCIIString(), v2.image().toUri().toASCIIString());
        Files.writeString(conf.resolve("list.json"), list);
        Unprivileged.own(shared);
        List<Path> old = goldens();
        startService();
        int n = records().size();
        assertEquals("new version\n", await(job("g", "sh", "-c", "echo new version")));
        assertTrue(newRecord(n).contains("\"vmStart\":\"cold\",\"vmStartNote\":\"no golden "), newRecord(n));
        awaitNewGolden(old);
        assertTrue(service.stderr().contains("is stale"), service.stderr());
        for (Path g : old) {
            assertFalse(Files.exists(g), "the stale golden is removed: " + g);
        }
        n = records().size();
        assertEquals("warm again\n", await(job("h", "sh", "-c", "echo warm again")));
        assertTrue(newRecord(n).contains("\"vmStart\":\"warm\""), newRecord(n));
    }

    private static void awaitNewGolden(List<Path> old) throws Exception {
        for (int i = 0; i < 1800; i++) {
            List<Path> now = new ArrayList<>(goldens());
            now.removeAll(old);
            if (!now.isEmpty() && service.stderr().contains("is stale")) {
                return;
            }
            assertFalse(service.stderr().contains("could not be made"), service.stderr());
            Thread.sleep(500);
        }
        fail("no new golden within 15 minutes; service log:\n" + service.stderr());
    }
}
