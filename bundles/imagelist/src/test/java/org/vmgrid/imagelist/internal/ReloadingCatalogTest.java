package org.vmgrid.imagelist.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vmgrid.imagelist.TestLists.IMAGE_A;
import static org.vmgrid.imagelist.TestLists.IMAGE_B;
import static org.vmgrid.imagelist.TestLists.SHA_A;
import static org.vmgrid.imagelist.TestLists.SHA_B;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.imagelist.TestLists;
import org.vmgrid.imagelist.TestPki;
import org.vmgrid.imagelist.TrustedCatalog;

/** The service's catalogue follows its list files: a refreshed list revokes what it dropped. */
class ReloadingCatalogTest {

    static final Instant START = Instant.parse("2026-11-27T06:00:00Z");

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path dir;

    @Test
    void aRefreshedListTakesEffectAfterTheRecheckInterval() throws IOException {
        HandClock clock = new HandClock();
        TestLists first = TestLists.list(START.minus(Duration.ofDays(1)), START.plus(Duration.ofDays(30)));
        first.image(IMAGE_A, SHA_A);
        first.image(IMAGE_B, SHA_B);
        Path list = first.write(dir.resolve("list.json"));
        ReloadingCatalog catalog = new ReloadingCatalog(
                new CatalogSources(List.of(list), true, Optional.empty(), Map.of()), clock, Duration.ofSeconds(10));
        assertTrue(catalog.resolve(IMAGE_A).isUsable());
        TrustedCatalog before = catalog.catalog();

        TestLists second = TestLists.list(START, START.plus(Duration.ofDays(30)));
        second.image(IMAGE_B, SHA_B);
        second.write(list);
        Files.setLastModifiedTime(list, FileTime.from(START.plusSeconds(60)));
        clock.now = START.plusSeconds(5);
        assertTrue(catalog.resolve(IMAGE_A).isUsable(), "checked again only after the interval");
        clock.now = START.plusSeconds(11);
        assertFalse(catalog.resolve(IMAGE_A).isUsable());
        assertTrue(catalog.resolve(IMAGE_A).reason().startsWith("image " + IMAGE_A + " was revoked: list "
                + TestLists.LIST_ID + " no longer names it (since 2026-11-27T06:00:11Z)"), catalog.resolve(IMAGE_A).reason());
        assertEquals(List.of(IMAGE_B), catalog.usableImages().stream().map(i -> i.uuid()).toList());

        TrustedCatalog reloaded = catalog.catalog();
        clock.now = START.plusSeconds(30);
        assertSame(reloaded, catalog.catalog(), "an unchanged file is not read again");
        assertFalse(before == reloaded);

        second.image(IMAGE_A, SHA_A);
        second.write(list);
        Files.setLastModifiedTime(list, FileTime.from(START.plusSeconds(120)));
        clock.now = START.plusSeconds(45);
        assertTrue(catalog.resolve(IMAGE_A).isUsable(), "listed again, usable again");
    }

    /**
     * What the pilot service asks at a job's start, after the CE admitted it: an image whose signed
     * list expired meanwhile, or whose list file lost its signature, is no longer usable, and the
     * reason says which.
     */
    @Test
    void anImageUsableAtAdmissionIsNotAtItsStartOnceItsListExpiredOrLostItsSignature() throws IOException {
        TestPki.Identity ca = TestPki.ca("Test Endorsement CA", START.minus(Duration.ofDays(365)),
                START.plus(Duration.ofDays(365)));
        TestPki.Identity endorser = TestPki.issue(ca, "Image Endorser", START.minus(Duration.ofDays(365)),
                START.plus(Duration.ofDays(365)), false);
        Path anchors = Files.createDirectory(dir.resolve("anchors"));
        TestPki.writePem(anchors.resolve("test-ca.pem"), ca.cert());

        HandClock clock = new HandClock();
        TestLists expiring = TestLists.list(START.minus(Duration.ofDays(1)), START.plus(Duration.ofMinutes(1)));
        expiring.image(IMAGE_A, SHA_A);
        Path list = Files.write(dir.resolve("list.smime"), TestPki.smimeDetached(expiring.bytes(), endorser));
        ReloadingCatalog catalog = new ReloadingCatalog(new CatalogSources(List.of(list), false, Optional.of(anchors),
                Map.of()), clock, Duration.ofSeconds(10));
        assertTrue(catalog.resolve(IMAGE_A).isUsable(), "usable at admission: " + catalog.resolve(IMAGE_A).reason());
        clock.now = START.plusSeconds(61);
        assertFalse(catalog.resolve(IMAGE_A).isUsable(), "its list expired before the job started");
        assertTrue(catalog.resolve(IMAGE_A).reason().contains("expired"), catalog.resolve(IMAGE_A).reason());

        TestLists renewed = TestLists.list(START, START.plus(Duration.ofDays(30)));
        renewed.image(IMAGE_A, SHA_A);
        Files.write(list, TestPki.smimeDetached(renewed.bytes(), endorser));
        Files.setLastModifiedTime(list, FileTime.from(START.plusSeconds(100)));
        clock.now = START.plusSeconds(80);
        assertTrue(catalog.resolve(IMAGE_A).isUsable(), "a renewed list: " + catalog.resolve(IMAGE_A).reason());
        Files.write(list, renewed.bytes()); // the same list, its signature gone
        Files.setLastModifiedTime(list, FileTime.from(START.plusSeconds(200)));
        clock.now = START.plusSeconds(100);
        assertFalse(catalog.resolve(IMAGE_A).isUsable(), "its list lost its signature before the job started");
        assertTrue(catalog.resolve(IMAGE_A).reason().toLowerCase(java.util.Locale.ROOT).contains("sign"),
                catalog.resolve(IMAGE_A).reason());
    }

    @Test
    void theComponentServesTheExampleSite() {
        SiteConfig site = SiteConfig.load(Path.of("../../config-examples/site"));
        ImageCatalogComponent component = new ImageCatalogComponent(site);
        assertTrue(component.resolve("debian-test").isUsable(), component.resolve("debian-test").reason());
        assertEquals("3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47", component.usableImages().get(0).uuid());
        assertFalse(component.resolve("no-such-image").isUsable());
    }
}
