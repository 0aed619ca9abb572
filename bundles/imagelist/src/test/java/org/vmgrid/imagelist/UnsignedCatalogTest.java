package org.vmgrid.imagelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vmgrid.imagelist.TestLists.IMAGE_A;
import static org.vmgrid.imagelist.TestLists.IMAGE_B;
import static org.vmgrid.imagelist.TestLists.SHA_A;
import static org.vmgrid.imagelist.TestLists.SHA_B;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.ImageResolution;

/** Unsigned lists: trust, expiry, aliases, versions, conflicts, unreadable files. */
class UnsignedCatalogTest {

    static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    TrustedCatalog load(boolean trustUnsigned, Map<String, String> aliases, Path... lists) {
        return new CatalogLoader(CLOCK).load(new CatalogSources(List.of(lists), trustUnsigned, Optional.empty(), aliases));
    }

    Path goodList(String name) throws IOException {
        TestLists l = TestLists.list(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
        l.image(IMAGE_A, SHA_A);
        l.image(IMAGE_B, SHA_B);
        return l.write(dir.resolve(name));
    }

    @Test
    void trustedUnsignedListOffersItsImages() throws IOException {
        TrustedCatalog c = load(true, Map.of("debian-test", IMAGE_A), goodList("l.json"));
        ImageResolution r = c.resolve(IMAGE_A);
        assertTrue(r.isUsable(), r.reason());
        assertEquals(SHA_A, r.image().orElseThrow().sha512());
        assertEquals(2752512, r.image().orElseThrow().size());
        assertEquals(List.of("debian-test"), r.image().orElseThrow().aliases());
        assertEquals("https://lists.example.org/test.json", r.image().orElseThrow().listUri().toString());
        assertEquals(List.of(IMAGE_B, IMAGE_A), c.usableImages().stream().map(i -> i.uuid()).toList());
        ListStatus s = c.lists().get(0);
        assertTrue(s.usable());
        assertEquals(2, s.imageCount());
        assertEquals(Optional.of(TestLists.LIST_ID), s.identifier());
        assertEquals(Optional.empty(), s.signer());
        assertFalse(s.signed());
    }

    @Test
    void unsignedListIsRefusedWithoutExplicitTrust() throws IOException {
        TrustedCatalog c = load(false, Map.of(), goodList("l.json"));
        assertFalse(c.lists().get(0).usable());
        assertTrue(c.lists().get(0).reason().contains("not signed"), c.lists().get(0).reason());
        ImageResolution r = c.resolve(IMAGE_A);
        assertFalse(r.isUsable());
        assertTrue(r.reason().contains("trust.unsigned"), r.reason());
        assertTrue(c.usableImages().isEmpty());
        assertEquals(2, c.lists().get(0).images().size(), "the images are still shown, unusable");
    }

    @Test
    void expiredListMakesItsImagesUnusableWithTheDate() throws IOException {
        TestLists l = TestLists.list(NOW.minus(Duration.ofDays(40)), Instant.parse("2026-11-01T00:00:00Z"));
        l.image(IMAGE_A, SHA_A);
        TrustedCatalog c = load(true, Map.of(), l.write(dir.resolve("old.json")));
        ImageResolution r = c.resolve(IMAGE_A);
        assertFalse(r.isUsable());
        assertTrue(r.reason().contains("expired on 2026-11-01T00:00:00Z"), r.reason());
        assertEquals(Optional.of(Instant.parse("2026-11-01T00:00:00Z")), c.lists().get(0).expires());
    }

    @Test
    void aListThatExpiresAfterLoadingStopsOfferingItsImages() throws IOException {
        Path list = goodList("l.json");
        TrustedCatalog loaded = load(true, Map.of(), list);
        Clock later = Clock.fixed(NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC);
        TrustedCatalog aged = new TrustedCatalog(loaded.lists(), Map.of(), later, Map.of());
        ImageResolution r = aged.resolve(IMAGE_A);
        assertFalse(r.isUsable());
        assertTrue(r.reason().contains("expired on"), r.reason());
        assertTrue(aged.usableImages().isEmpty());
    }

    @Test
    void anImageListedByTwoListsStaysUsableWhenOneOfThemExpires() throws IOException {
        TestLists shortLived = TestLists.list("c6b0a7c2-1f1e-4a3a-9d5e-8b7c6d5e4f3a", NOW, NOW.plus(Duration.ofDays(2)));
        shortLived.image(IMAGE_A, SHA_A);
        TrustedCatalog loaded = load(true, Map.of(), shortLived.write(dir.resolve("short.json")), goodList("long.json"));
        TrustedCatalog later = new TrustedCatalog(loaded.lists(), Map.of(),
                Clock.fixed(NOW.plus(Duration.ofDays(3)), ZoneOffset.UTC), Map.of());
        assertTrue(later.resolve(IMAGE_A).isUsable(), later.resolve(IMAGE_A).reason());
        assertEquals(NOW.plus(Duration.ofDays(30)), later.resolve(IMAGE_A).image().orElseThrow().listExpires());
    }

    @Test
    void aliasResolvesToItsImageAndSaysWhenTheImageIsUnusable() throws IOException {
        Map<String, String> aliases = Map.of("debian-test", IMAGE_A, "gone", "11111111-2222-4333-8444-555555555555");
        TrustedCatalog c = load(true, aliases, goodList("l.json"));
        assertEquals(IMAGE_A, c.resolve("debian-test").image().orElseThrow().uuid());
        assertEquals(IMAGE_A, c.resolve("Debian-Test").image().orElseThrow().uuid());
        ImageResolution gone = c.resolve("gone");
        assertFalse(gone.isUsable());
        assertTrue(gone.reason().startsWith("site alias 'gone' names image 11111111-2222-4333-8444-555555555555, which "
                + "cannot be used: unknown image"), gone.reason());
    }

    @Test
    void unknownNamesSayWhatIsMissingAndNeverEchoControlCharacters() throws IOException {
        TrustedCatalog c = load(true, Map.of("debian-test", IMAGE_A), goodList("l.json"));
        ImageResolution unknownUuid = c.resolve("11111111-2222-4333-8444-555555555555");
        assertTrue(unknownUuid.reason().startsWith("unknown image 11111111-2222-4333-8444-555555555555"));
        ImageResolution hostile = c.resolve("x\n#SBATCH --uid=0\u0000");
        assertFalse(hostile.isUsable());
        assertFalse(hostile.reason().contains("\n") || hostile.reason().contains("\u0000"), hostile.reason());
        assertTrue(hostile.reason().contains("aliases: debian-test"), hostile.reason());
        assertFalse(c.resolve(null).isUsable());
    }

    @Test
    void upperCaseIdentifiersAreLowerCased() throws IOException {
        TestLists l = TestLists.list(NOW, NOW.plus(Duration.ofDays(1)));
        l.image(IMAGE_A.toUpperCase(), SHA_A.toUpperCase());
        TrustedCatalog c = load(true, Map.of(), l.write(dir.resolve("l.json")));
        assertEquals(SHA_A, c.resolve(IMAGE_A).image().orElseThrow().sha512());
        assertTrue(c.resolve(IMAGE_A.toUpperCase()).isUsable());
    }

    @Test
    void imageDroppedFromANewerVersionOfTheListIsRevoked() throws IOException {
        Path old = goodList("old.json");
        TestLists newer = TestLists.list(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(30)));
        newer.image(IMAGE_B, SHA_B);
        Path fresh = newer.write(dir.resolve("new.json"));
        for (TrustedCatalog c : List.of(load(true, Map.of(), old, fresh), load(true, Map.of(), fresh, old))) {
            ImageResolution a = c.resolve(IMAGE_A);
            assertFalse(a.isUsable());
            assertTrue(a.reason().contains("revoked: it is no longer listed in the newer version of list "
                    + TestLists.LIST_ID + " in " + fresh), a.reason());
            assertTrue(c.resolve(IMAGE_B).isUsable());
            ListStatus oldStatus = c.lists().stream().filter(s -> s.path().equals(old)).findFirst().orElseThrow();
            assertFalse(oldStatus.usable());
            assertTrue(oldStatus.reason().startsWith("superseded by the newer version"), oldStatus.reason());
        }
    }

    @Test
    void reloadSaysRevokedOnlyWhenATrustedNewerListDropsTheImage() throws IOException {
        Path list = goodList("l.json");
        CatalogSources sources = new CatalogSources(List.of(list), true, Optional.empty(), Map.of());
        CatalogLoader loader = new CatalogLoader(CLOCK);
        TrustedCatalog first = loader.load(sources);
        Files.writeString(list, "{ broken");
        TrustedCatalog broken = loader.reload(sources, first);
        assertTrue(broken.resolve(IMAGE_A).reason().startsWith("unknown image"), broken.resolve(IMAGE_A).reason());
        assertTrue(broken.resolve(IMAGE_A).reason().endsWith("(1 of its image lists could not be read: vmgrid image "
                + "list shows why)"), broken.resolve(IMAGE_A).reason());
        TestLists newer = TestLists.list(NOW, NOW.plus(Duration.ofDays(30)));
        newer.image(IMAGE_B, SHA_B);
        newer.write(list);
        TrustedCatalog dropped = loader.reload(sources, first);
        assertTrue(dropped.resolve(IMAGE_A).reason().contains("was revoked"), dropped.resolve(IMAGE_A).reason());
        TrustedCatalog still = loader.reload(sources, dropped);
        assertTrue(still.resolve(IMAGE_A).reason().contains("was revoked"), "revocation is remembered");
        assertTrue(still.resolve(IMAGE_B).isUsable());
    }

    @Test
    void twoCopiesOfTheSameVersionOfAListAreBothUsable() throws IOException {
        TrustedCatalog c = load(true, Map.of(), goodList("a.json"), goodList("b.json"));
        assertTrue(c.lists().get(0).usable(), c.lists().get(0).reason());
        assertTrue(c.lists().get(1).usable(), c.lists().get(1).reason());
        assertEquals(2, c.usableImages().size());
    }

    @Test
    void anImageDescribedWithTwoChecksumsIsUnusable() throws IOException {
        TestLists other = TestLists.list("c6b0a7c2-1f1e-4a3a-9d5e-8b7c6d5e4f3a", NOW, NOW.plus(Duration.ofDays(9)));
        other.image(IMAGE_A, SHA_B);
        TrustedCatalog c = load(true, Map.of(), goodList("l.json"), other.write(dir.resolve("other.json")));
        ImageResolution r = c.resolve(IMAGE_A);
        assertFalse(r.isUsable());
        assertTrue(r.reason().contains("different SHA-512 checksums"), r.reason());
        assertTrue(c.resolve(IMAGE_B).isUsable());
    }

    @Test
    void mutatedListsNeverFailTheLoadNorEscapeTheirValidation() throws IOException {
        byte[] original = Files.readAllBytes(goodList("original.json"));
        java.util.Random random = new java.util.Random(27L);
        byte[] alphabet = "{}[]\":,0123456789abcdef-. \n\\\u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path file = dir.resolve("mutated.json");
        for (int round = 0; round < 400; round++) {
            byte[] mutated = original.clone();
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                mutated[random.nextInt(mutated.length)] = alphabet[random.nextInt(alphabet.length)];
            }
            Files.write(file, mutated);
            TrustedCatalog c = load(true, Map.of(), file);
            ListStatus s = c.lists().get(0);
            assertFalse(s.reason().startsWith("the list cannot be read: "), "unexpected exception: " + s.reason());
            for (ImageStatus i : s.images()) {
                assertTrue(i.usable() || !i.reason().isBlank());
                i.image().ifPresent(d -> assertTrue(d.size() > 0 && d.sha512().length() == 128
                        && List.of("https", "http", "file").contains(d.uri().getScheme())));
            }
        }
    }

    @Test
    void unreadableAndMalformedListsAreUnusableWithTheirReasonAndTheOthersStillWork() throws IOException {
        Path missing = dir.resolve("missing.json");
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"hv:imagelist\": [");
        Path binary = Files.write(dir.resolve("binary.json"), new byte[] {(byte) 0xff, 0, 1, 2});
        Path noExpiry = Files.writeString(dir.resolve("noexpiry.json"),
                TestLists.list(NOW, NOW).json().replace("dc:date:expires", "dc:date:whatever"));
        TrustedCatalog c = load(true, Map.of(), missing, garbage, binary, noExpiry, goodList("l.json"));
        List<ListStatus> s = c.lists();
        assertTrue(s.get(0).reason().startsWith("cannot read the list"), s.get(0).reason());
        assertTrue(s.get(1).reason().startsWith("not a JSON image list"), s.get(1).reason());
        assertTrue(s.get(2).reason().startsWith("neither a JSON image list nor"), s.get(2).reason());
        assertTrue(s.get(3).reason().contains("no dc:date:expires"), s.get(3).reason());
        for (int i = 0; i < 4; i++) {
            assertFalse(s.get(i).usable());
        }
        assertTrue(s.get(4).usable());
        assertTrue(c.resolve(IMAGE_A).isUsable());
    }
}
