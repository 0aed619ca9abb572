package org.vmgrid.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.imagelist.TrustedCatalog;

/**
 * Builds the test appliance for real from Debian packages, twice, and boots it with plain QEMU
 * (TCG, no network) with a context ISO made here: the guest side of guest contract v1.
 */
class ApplianceBootIT {

    @TempDir
    static Path shared;

    static BuiltAppliance appliance;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        appliance = new ApplianceBuilder(new ProcessCommandRunner(), settings()).build(shared.resolve("first"));
    }

    private static ApplianceSettings settings() {
        return ApplianceSettings.defaults(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH)
                .withDebCache(Path.of(System.getProperty("vmgrid.deb.cache")));
    }

    @Test
    void theSameInputsGiveTheSameBytes() throws Exception {
        BuiltAppliance again = new ApplianceBuilder(new ProcessCommandRunner(), settings()).build(dir.resolve("again"));
        assertEquals(appliance.sha512(), again.sha512());
        assertEquals(appliance.uuid(), again.uuid());
        assertEquals(appliance.size(), again.size());
        assertEquals(Files.readString(appliance.imageList()).replace(shared.resolve("first").toUri().toString(), "@"),
                Files.readString(again.imageList()).replace(dir.resolve("again").toUri().toString(), "@"),
                "the lists differ only in where the image is");
        try (Stream<Path> left = Files.list(dir.resolve("again"))) {
            assertEquals(List.of(ApplianceBuilder.IMAGE_LIST_FILE, ApplianceBuilder.IMAGE_FILE),
                    left.map(p -> p.getFileName().toString()).sorted().toList(), "no scratch files left");
        }
    }

    @Test
    void theSitesCatalogueAcceptsTheImageListUntilItExpires() {
        CatalogSources sources = new CatalogSources(List.of(appliance.imageList()), true, Optional.empty(), Map.of());
        TrustedCatalog now = new CatalogLoader(Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC))
                .load(sources);
        ImageResolution found = now.resolve(appliance.uuid().toString());
        assertTrue(found.isUsable(), found.reason());
        ImageDescriptor image = found.image().orElseThrow();
        assertEquals(appliance.sha512(), image.sha512());
        assertEquals(appliance.size(), image.size());
        assertEquals(appliance.image(), Path.of(image.uri()));

        TrustedCatalog later = new CatalogLoader(Clock.fixed(Instant.parse("2036-01-02T00:00:00Z"), ZoneOffset.UTC))
                .load(sources);
        ImageResolution expired = later.resolve(appliance.uuid().toString());
        assertFalse(expired.isUsable());
        assertTrue(expired.reason().contains("2036-01-01"), expired.reason());
    }

    @Test
    void runsThePayloadWithItsArgvEnvironmentAndJobDirectory() throws Exception {
        Path job = Files.createDirectories(dir.resolve("job"));
        Files.writeString(job.resolve("input.txt"), "from the host\n");
        String script = "printf '[%s]\\n' \"$@\"; echo \"FOO=$FOO\"; printf 'ODD=%s|\\n' \"$ODD\"; pwd; uname -r;"
                + " cat input.txt; echo to-stderr >&2; echo written > result.txt;"
                + " if [ -e /pwned ]; then echo PWNED; fi; exit 0";
        List<String> argv = List.of("sh", "-c", script, "zero", "two words", "$(touch /pwned) 'q' \"d\" `x`;|&", "trail\n");
        List<String> env = List.of("FOO=bar baz", "ODD=it's a \"$HOME\"\nline");
        Path iso = ContextIso.write(dir.resolve("context.iso"),
                ContextIso.contextSh("job-1", argv, env, "/grid/job 1", "none"));

        PlainQemu.GuestRun run = PlainQemu.boot(appliance.image(), iso, job, dir);

        assertEquals("booted\nexit 0\n", run.status(), run.console());
        assertEquals("[two words]\n[$(touch /pwned) 'q' \"d\" `x`;|&]\n[trail\n]\n"
                + "FOO=bar baz\nODD=it's a \"$HOME\"\nline|\n"
                + "/grid/job 1\n" + appliance.kernelRelease() + "\nfrom the host\n", run.stdout(), run.console());
        assertEquals("to-stderr\n", run.stderr());
        assertEquals("written\n", Files.readString(job.resolve("result.txt")));
        assertEquals(0, run.qemuExit(), "the guest powered itself off");
    }

    @Test
    void reportsTheExitCodeOfAFailingPayload() throws Exception {
        Path job = Files.createDirectories(dir.resolve("job"));
        Path iso = ContextIso.write(dir.resolve("context.iso"),
                ContextIso.contextSh("job-2", List.of("sh", "-c", "echo partial; exit 42"), List.of(), "/job", "none"));

        PlainQemu.GuestRun run = PlainQemu.boot(appliance.image(), iso, job, dir);

        assertEquals("booted\nexit 42\n", run.status(), run.console());
        assertEquals("partial\n", run.stdout());
    }

    @Test
    void refusesABrokenContextWithAnErrorAndRunsNothing() throws Exception {
        Path job = Files.createDirectories(dir.resolve("job"));
        String hostile = ContextIso.contextSh("job-3", List.of("sh", "-c", "echo ran > ran.txt"), List.of(), "/job", "none")
                + "VMGRID_ARG_0='$(touch /job/pwned)'\n";
        Path iso = ContextIso.write(dir.resolve("context.iso"), hostile);

        PlainQemu.GuestRun run = PlainQemu.boot(appliance.image(), iso, job, dir);

        assertTrue(run.status().startsWith("error context.sh line "), run.status() + run.console());
        assertFalse(run.status().contains("booted"), run.status());
        assertEquals(1, run.status().lines().count(), run.status());
        assertEquals("", run.stdout());
        assertFalse(Files.exists(job.resolve("ran.txt")));
        assertFalse(Files.exists(job.resolve("pwned")));
        assertNotEquals("", run.console(), "the console log is kept for diagnostics");
    }

    @Test
    void bringsUpEthernetWithDhcpOnlyForOutbound() throws Exception {
        Path job = Files.createDirectories(dir.resolve("job"));
        Path iso = ContextIso.write(dir.resolve("context.iso"), ContextIso.contextSh("job-4",
                List.of("sh", "-c", "ip -4 -o addr show dev eth0 | grep -o 'inet [0-9./]*'; ip route | grep -o '^default via [0-9.]*';"
                        + " cat /etc/resolv.conf"),
                List.of(), "/job", "outbound"));

        PlainQemu.GuestRun run = PlainQemu.boot(appliance.image(), iso, job, dir, true);

        assertEquals("booted\nexit 0\n", run.status(), run.console());
        assertEquals("inet 10.0.2.15/24\ndefault via 10.0.2.2\nnameserver 10.0.2.3\n", run.stdout(), run.console());
    }

    @Test
    void leavesTheNetworkDownForNone() throws Exception {
        Path job = Files.createDirectories(dir.resolve("job"));
        Path iso = ContextIso.write(dir.resolve("context.iso"), ContextIso.contextSh("job-5",
                List.of("sh", "-c", "ip -4 -o addr | grep -c inet; ip route | wc -l"), List.of(), "/job", "none"));

        PlainQemu.GuestRun run = PlainQemu.boot(appliance.image(), iso, job, dir, true);

        assertEquals("booted\nexit 0\n", run.status(), run.console());
        assertEquals("0\n0\n", run.stdout().replace(" ", ""), "no address, not even loopback, and no route");
    }

    /**
     * Guest contract 2: with a job port the guest boots to 'ready' and waits; the job sent then
     * runs, with the guest's clock set to the time sent (a year ahead here, so it cannot be the
     * guest's own). A cold start: the guest need not wait for a reseed.
     */
    @Test
    void saysReadyAndRunsTheJobSentOverTheJobPortAtTheHostsTime() throws Exception {
        Path job = Files.createDirectories(dir.resolve("job"));
        long aYearAhead = Instant.now().getEpochSecond() + 365L * 86400;
        byte[] message = ContextIso.jobMessage("job-6", List.of("sh", "-c", "date +%s; echo sent > sent.txt; exit 7"),
                "/job", aYearAhead, "cold");

        PlainQemu.GuestRun run = PlainQemu.bootWithJobPort(appliance.image(), job, dir, message);

        assertEquals("ready\nbooted\nexit 7\n", run.status(), run.console());
        long guestTime = Long.parseLong(run.stdout().strip());
        assertTrue(guestTime >= aYearAhead && guestTime < aYearAhead + 600, "the guest's clock: " + guestTime);
        assertEquals("sent\n", Files.readString(job.resolve("sent.txt")));
    }

    @Test
    void saysSoAndPowersOffWhenThereIsNoContextDisk() throws Exception {
        Path job = Files.createDirectories(dir.resolve("job"));

        PlainQemu.GuestRun run = PlainQemu.boot(appliance.image(), Optional.empty(), job, dir, false);

        assertEquals("error no context disk labelled CONTEXT\n", run.status(), run.console());
        assertEquals(0, run.qemuExit(), "the guest powered itself off");
    }
}
