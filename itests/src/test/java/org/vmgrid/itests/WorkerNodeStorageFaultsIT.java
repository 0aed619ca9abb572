package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.vmgrid.itests.SlurmVmNode.Job;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.testing.ImageServer;
import org.vmgrid.testing.OpensslEndorser;
import org.vmgrid.testing.Sha512;
import org.vmgrid.testing.TestSite;
import org.vmgrid.testing.TestSite.ListedImage;
import org.vmgrid.testing.Tmpfs;
import org.vmgrid.testing.Unprivileged;

/**
 * A worker node's storage and images failing under whole jobs ({@link SlurmVmNode}): the image
 * cache's file system full during a download, a job directory's file system filled by its payload,
 * a download cut halfway and a truncated image over real HTTP, and the site's image list revoking
 * an image, expiring or losing its signature between the job's submission and its start. Both small file systems are
 * tmpfs mounted before libvirtd starts, so that its guests see them too. Each job ends in a
 * definite state with its reason and its accounting record; nothing is left; the node is not
 * drained; the next job that can run, runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerNodeStorageFaultsIT {

    private static final Duration BOOT = Duration.ofMinutes(8);
    private static final Duration END = Duration.ofMinutes(3);
    /** How long the pilot service may take to read a changed list (it checks every 10 s). */
    private static final Duration LIST_READ = Duration.ofSeconds(13);
    private static final long MIB = 1 << 20;
    private static final String LIST_ID = UUID.randomUUID().toString();
    private static final Instant VALID = Instant.parse("2036-01-01T00:00:00Z");

    private static SlurmVmNode node;
    private static ImageServer server;
    /** The appliance from its file, as the site lists it. */
    private static ListedImage appliance;
    /** The same appliance under another UUID, served over HTTP on loopback. */
    private static ListedImage served;
    /** An image larger than what is free in the cache. */
    private static ListedImage large;
    private static OpensslEndorser endorser;

    @BeforeAll
    static void startTheNode() throws Exception {
        node = SlurmVmNode.start("storage", 600, "", new SlurmVmNode.Preparation() {
            @Override
            public List<AutoCloseable> mount(Path shared, BuiltAppliance built) throws Exception {
                appliance = new ListedImage(built.uuid().toString(), built.image().toUri(), built.size(), built.sha512(),
                        "qcow2");
                // the cache holds the appliance twice over and a quarantined half; the large image does not fit
                Tmpfs cache = Tmpfs.mount(shared.resolve("node/site/cache"), 3 * built.size() + 4 * MIB, "0755");
                try {
                    return List.of(cache, Tmpfs.mount(shared.resolve("jobs/full"), 4 * MIB, "0700"));
                } catch (IOException | RuntimeException e) {
                    cache.close();
                    throw e;
                }
            }

            /** Signed lists only, of an endorser made with openssl, as a production site trusts them. */
            @Override
            public void configure(TestSite site) throws Exception {
                endorser = OpensslEndorser.create(site.root.resolve("endorser"));
                Files.writeString(site.conf.resolve("images.properties"), "catalogs = " + signedList(site)
                        + "\ntrust.unsigned = false\ntrust.anchors = " + endorser.anchors() + "\n");
                writeList(site, VALID, appliance);
            }
        });
        server = ImageServer.serve(Files.readAllBytes(node.appliance.image()));
        served = new ListedImage(UUID.randomUUID().toString(), server.uri(), appliance.size(), appliance.sha512(),
                "qcow2");
        Path largeFile = node.shared.resolve("large.img");
        try (RandomAccessFile f = new RandomAccessFile(largeFile.toFile(), "rw")) {
            f.setLength(3 * appliance.size());
        }
        large = new ListedImage(UUID.randomUUID().toString(), largeFile.toUri(), Files.size(largeFile), Sha512.of(largeFile),
                "raw");
        writeList(node.site, VALID, appliance, served, large);
        Thread.sleep(LIST_READ.toMillis());
    }

    @AfterAll
    static void stopTheNode() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    @AfterEach
    void nothingLeft() throws Exception {
        node.assertNothingLeft(Duration.ofMinutes(1));
        try (Stream<Path> partial = Files.list(node.site.cache.resolve(".partial"))) {
            assertEquals(List.of(), partial.toList(), "no partial download stays in the cache");
        }
    }

    /**
     * The payload fills its job directory's file system (4 MiB) until the write fails; beside it a
     * VM job and a plain job run in directories elsewhere.
     */
    @Test
    @Order(20)
    void aPayloadThatFillsItsJobDirectoryEndsWithItsExitCodeAndOutputAndHarmsNoOtherJob() throws Exception {
        Job full = node.vmJob("full", "#!/bin/sh\necho booted\ndd if=/dev/zero of=filler bs=64k 2>/dev/null\n"
                + "echo \"dd ended $?\"\nexit 3\n");
        Job beside = node.vmJob("beside", "#!/bin/sh\necho beside\necho written > written.txt\nexit 0\n");
        Job plain = node.plainJob("plain", "#!/bin/sh\necho plain\n");

        assertEquals("FAILED", node.awaitEnd(full, BOOT), node.diagnosis(full));
        assertEquals("3:0", node.exitCode(full), "the payload's own exit code: " + node.diagnosis(full));
        assertTrue(full.output().startsWith("booted\n"), "the output written before the disk was full: "
                + node.diagnosis(full));
        assertTrue(Files.getFileStore(full.dir()).getUsableSpace() < 64 * 1024, "the payload filled its file system");
        String record = node.accounting(node.pilotJobOf(full, END), END);
        assertTrue(record.contains("\"exitCode\":3,\"failure\":null"), record);

        assertEquals("COMPLETED", node.awaitEnd(beside, BOOT), node.diagnosis(beside));
        assertEquals("beside\n", beside.output());
        assertEquals("written\n", Files.readString(beside.dir().resolve("written.txt")));
        assertTrue(node.accounting(node.pilotJobOf(beside, END), END).contains("\"exitCode\":0,\"failure\":null"));
        assertEquals("COMPLETED", node.awaitEnd(plain, END), node.diagnosis(plain));
        assertEquals("plain\n", plain.output());
    }

    /** The large image's download fills the cache's file system, which holds the appliance already. */
    @Test
    @Order(21)
    void theImageCacheFullDuringADownloadFailsTheJobSayingSoAndKeepsTheCachedImages() throws Exception {
        Path cached = cached(appliance);
        assertTrue(Files.exists(cached), "the appliance is cached (by the jobs before)");
        assertTrue(Files.getFileStore(cached).getUsableSpace() < large.size(), "the large image cannot fit");

        Job job = node.vmJobOfImage(large.uuid(), "large", "#!/bin/sh\necho never\n");
        assertEquals("FAILED", node.awaitEnd(job, END), node.diagnosis(job));
        assertEquals("75:0", node.exitCode(job), "exit 75: image unusable: " + node.diagnosis(job));
        String out = job.output();
        assertTrue(out.contains("image " + large.uuid() + ": cannot store it in the image cache " + node.site.cache
                + ": No space left on device"), out);
        assertTrue(out.contains("free space there"), "says what to do: " + out);
        assertFalse(out.contains("never") || out.contains("\tat "), out);
        String record = node.accounting(node.pilotJobOf(job, END), END);
        assertTrue(record.contains("\"exitCode\":null,\"failure\":\"image\""), record);
        assertTrue(record.contains("No space left on device"), record);
        assertFalse(Files.exists(cached(large)), "no image of the failed download");
        assertEquals(appliance.sha512(), Sha512.of(cached), "the cached image is intact");
    }

    /**
     * Over real HTTP on loopback: the server cuts the download halfway, then serves a truncated
     * image. The next job that fits, after both and after the list faults, runs on the served image.
     */
    @Test
    @Order(22)
    void aDownloadCutHalfwayOrATruncatedImageFailsItsJobWithTheImagesReason() throws Exception {
        server.mode(ImageServer.Mode.CUT);
        Job cut = node.vmJobOfImage(served.uuid(), "cut", "#!/bin/sh\necho never\n");
        assertEquals("FAILED", node.awaitEnd(cut, END), node.diagnosis(cut));
        assertEquals("75:0", node.exitCode(cut), node.diagnosis(cut));
        assertTrue(cut.output().contains("image " + served.uuid() + ": cannot fetch " + served.uri() + ": "), cut.output());
        assertTrue(cut.output().contains(" of its " + served.size() + " bytes); check the URI in its image list and the "
                + "network"), cut.output());
        String record = node.accounting(node.pilotJobOf(cut, END), END);
        assertTrue(record.contains("\"exitCode\":null,\"failure\":\"image\""), record);

        server.mode(ImageServer.Mode.TRUNCATED);
        Job truncated = node.vmJobOfImage(served.uuid(), "truncated", "#!/bin/sh\necho never\n");
        assertEquals("FAILED", node.awaitEnd(truncated, END), node.diagnosis(truncated));
        assertEquals("75:0", node.exitCode(truncated), node.diagnosis(truncated));
        assertTrue(truncated.output().contains("it has " + served.size() / 2 + " bytes, not the " + served.size()
                + " bytes its image list gives"), truncated.output());
        record = node.accounting(node.pilotJobOf(truncated, END), END);
        assertTrue(record.contains("\"exitCode\":null,\"failure\":\"image\""), record);
        assertFalse(Files.exists(cached(served)), "nothing of the served image kept as usable");
        server.mode(ImageServer.Mode.WHOLE);
    }

    /**
     * Jobs submitted (held) while their image is usable, started after its list dropped it, after
     * the list expired, after it lost its signature; the repaired list runs the next job, whose
     * image is fetched whole.
     */
    @Test
    @Order(23)
    void anImageRevokedOrItsListExpiredOrUnsignedBetweenSubmissionAndStartFailsTheJobAndTheRepairedListRunsTheNext()
            throws Exception {
        Job revoked = node.vmJobOfImage(served.uuid(), "revoked", "#!/bin/sh\necho never\n", "--hold");
        writeList(node.site, VALID, appliance, large);
        Thread.sleep(LIST_READ.toMillis());
        assertRefusedAtStart(revoked, "image " + served.uuid() + " was revoked: list " + LIST_ID + " no longer names it");

        Instant expires = Instant.now().plus(LIST_READ);
        writeList(node.site, expires, appliance, served, large);
        Job expired = node.vmJobOfImage(served.uuid(), "expired", "#!/bin/sh\necho never\n", "--hold");
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expires).toMillis()) + 1000);
        assertRefusedAtStart(expired, "expired on ");

        Job unsigned = node.vmJobOfImage(served.uuid(), "unsigned", "#!/bin/sh\necho never\n", "--hold");
        stripSignature();
        Thread.sleep(LIST_READ.toMillis());
        assertRefusedAtStart(unsigned, "the list is not signed and this site does not trust unsigned lists");

        writeList(node.site, VALID, appliance, served, large);
        Thread.sleep(LIST_READ.toMillis());
        Job next = node.vmJobOfImage(served.uuid(), "next", "#!/bin/sh\necho ran\nexit 0\n");
        assertEquals("COMPLETED", node.awaitEnd(next, BOOT), node.diagnosis(next));
        assertEquals("ran\n", next.output());
        assertTrue(node.accounting(node.pilotJobOf(next, END), END).contains("\"exitCode\":0,\"failure\":null"));
        assertEquals(served.sha512(), Sha512.of(cached(served)), "the served image, fetched whole");
        assertEquals(appliance.sha512(), Sha512.of(cached(appliance)), "the cached image is intact");
    }

    /**
     * Lets the held job start (the service has read the changed list); the job fails at its start
     * with exit 75 and the reason, and one accounting record (failure {@code image}) is written.
     */
    private static void assertRefusedAtStart(Job job, String reason) throws Exception {
        int before = node.accountingLines().size();
        assertEquals(0, node.slurm.slurm("scontrol", "release", job.id()).exitCode());
        assertEquals("FAILED", node.awaitEnd(job, END), node.diagnosis(job));
        assertEquals("75:0", node.exitCode(job), node.diagnosis(job));
        assertTrue(job.output().contains(reason), job.output());
        SlurmVmNode.awaitTrue(() -> node.accountingLines().size() > before, END,
                () -> "no accounting record of the refused job: " + node.accountingLines());
        List<String> added = node.accountingLines().subList(before, node.accountingLines().size());
        assertEquals(1, added.size(), "one record: " + added);
        assertTrue(added.get(0).contains("\"exitCode\":null,\"failure\":\"image\""), added.get(0));
        assertTrue(added.get(0).contains(reason), added.get(0));
    }

    /**
     * Rewrites the site's one list, signed by the endorser (same identifier and signer: images it
     * drops are revoked).
     */
    private static void writeList(TestSite site, Instant expires, ListedImage... images) throws IOException {
        Path json = site.root.resolve("endorser/imagelist.json");
        Files.writeString(json, TestSite.imageList(LIST_ID, expires, List.of(images)));
        Path signed = endorser.sign(json, site.root.resolve("endorser/imagelist.smime.new"));
        Unprivileged.own(signed);
        Files.move(signed, signedList(site), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The same list as it was last written, its signature gone. */
    private static void stripSignature() throws IOException {
        Path plain = node.site.root.resolve("endorser/imagelist.json.new");
        Files.copy(node.site.root.resolve("endorser/imagelist.json"), plain);
        Unprivileged.own(plain);
        Files.move(plain, signedList(node.site), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path signedList(TestSite site) {
        return site.conf.resolve("imagelist.smime");
    }

    private static Path cached(ListedImage image) {
        return node.site.cache.resolve(image.uuid() + "-" + image.sha512().substring(0, 16) + ".img");
    }
}
