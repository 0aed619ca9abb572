package org.vmgrid.imagelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vmgrid.imagelist.TestLists.IMAGE_A;
import static org.vmgrid.imagelist.TestLists.IMAGE_B;
import static org.vmgrid.imagelist.TestLists.SHA_A;
import static org.vmgrid.imagelist.TestLists.SHA_B;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.GuestAgent;

/** Hard validation of each image entry: a bad entry is unusable with its reason, the others stay usable. */
class ImageEntryTest {

    static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");

    @TempDir
    Path dir;

    /** Loads a list of a good image B and an image A spoiled by the given edit; returns A's status. */
    ImageStatus spoiled(Consumer<ObjectNode> edit) throws IOException {
        TestLists l = TestLists.list(NOW, NOW.plus(Duration.ofDays(1)));
        edit.accept(l.image(IMAGE_A, SHA_A));
        l.image(IMAGE_B, SHA_B);
        TrustedCatalog c = new CatalogLoader(Clock.fixed(NOW, ZoneOffset.UTC)).load(
                new CatalogSources(List.of(l.write(dir.resolve("l.json"))), true, Optional.empty(), Map.of()));
        assertTrue(c.lists().get(0).usable(), c.lists().get(0).reason());
        assertTrue(c.resolve(IMAGE_B).isUsable(), "one bad entry must not spoil the list");
        assertEquals(2, c.lists().get(0).imageCount());
        return c.lists().get(0).images().get(0);
    }

    void assertUnusable(String expected, Consumer<ObjectNode> edit) throws IOException {
        ImageStatus s = spoiled(edit);
        assertFalse(s.usable(), "accepted: " + s);
        assertTrue(s.reason().contains(expected), s.reason());
    }

    @Test
    void identifierMustBeAUuid() throws IOException {
        assertUnusable("dc:identifier 'not-a-uuid' is not a UUID", i -> i.put("dc:identifier", "not-a-uuid"));
        assertUnusable("is not a UUID", i -> i.remove("dc:identifier"));
        assertUnusable("is not a UUID", i -> i.put("dc:identifier", IMAGE_A + "\n"));
    }

    @Test
    void theFormatTheListGivesIsKeptLowerCaseAndMustBeAFormatName() throws IOException {
        ImageStatus s = spoiled(i -> i.put("hv:format", "QCOW2"));
        assertEquals("qcow2", s.image().orElseThrow().format());
        assertEquals("", spoiled(i -> i.remove("hv:format")).image().orElseThrow().format());
        assertUnusable("hv:format 'qcow2 -b /etc/shadow' is not a disk format name",
                i -> i.put("hv:format", "qcow2 -b /etc/shadow"));
    }

    @Test
    void theGuestAgentIsTheImagesOwnUnlessTheListSaysCloudInit() throws IOException {
        assertEquals(GuestAgent.IMAGE, spoiled(i -> i.remove("vmgrid:guestagent")).image().orElseThrow().guestAgent());
        assertEquals(GuestAgent.IMAGE, spoiled(i -> i.put("vmgrid:guestagent", "image")).image().orElseThrow()
                .guestAgent());
        assertEquals(GuestAgent.CLOUD_INIT, spoiled(i -> i.put("vmgrid:guestagent", "cloud-init")).image().orElseThrow()
                .guestAgent());
        assertUnusable("vmgrid:guestagent '\"Cloud-Init\"' is neither \"image\" nor \"cloud-init\"",
                i -> i.put("vmgrid:guestagent", "Cloud-Init"));
        assertUnusable("is neither", i -> i.put("vmgrid:guestagent", "cloud-init "));
        assertUnusable("is neither", i -> i.put("vmgrid:guestagent", 1));
    }

    @Test
    void theSiteDeclaresStockCloudInitImagesWhateverTheirListSays() throws IOException {
        TestLists l = TestLists.list(NOW, NOW.plus(Duration.ofDays(1)));
        l.image(IMAGE_A, SHA_A);
        l.image(IMAGE_B, SHA_B);
        CatalogSources sources = new CatalogSources(List.of(l.write(dir.resolve("l.json"))), true, Optional.empty(),
                Map.of(), java.util.Set.of(IMAGE_A));
        TrustedCatalog c = new CatalogLoader(Clock.fixed(NOW, ZoneOffset.UTC)).load(sources);
        assertEquals(GuestAgent.CLOUD_INIT, c.resolve(IMAGE_A).image().orElseThrow().guestAgent());
        assertEquals(GuestAgent.IMAGE, c.resolve(IMAGE_B).image().orElseThrow().guestAgent());
        assertEquals(GuestAgent.CLOUD_INIT, new CatalogLoader(Clock.fixed(NOW, ZoneOffset.UTC)).reload(
                sources.withLists(sources.lists()), c).resolve(IMAGE_A).image().orElseThrow().guestAgent(),
                "a reload keeps what the site declares");
    }

    @Test
    void checksumMustBe128HexDigits() throws IOException {
        assertUnusable("sl:checksum:sha512 is missing or not 128 hex digits", i -> i.put("sl:checksum:sha512", "ab"));
        assertUnusable("not 128 hex digits", i -> i.put("sl:checksum:sha512", "g".repeat(128)));
        assertUnusable("not 128 hex digits", i -> i.remove("sl:checksum:sha512"));
    }

    @Test
    void sizeMustBeAPositiveWholeNumberOrNumericString() throws IOException {
        assertEquals(123456, spoiled(i -> i.put("hv:size", "123456")).image().orElseThrow().size());
        assertUnusable("hv:size must be positive", i -> i.put("hv:size", 0));
        assertUnusable("hv:size must be positive", i -> i.put("hv:size", -5));
        assertUnusable("not a whole number", i -> i.put("hv:size", "12 MB"));
        assertUnusable("not a whole number", i -> i.put("hv:size", 1.5));
        assertUnusable("not a whole number", i -> i.put("hv:size", "99999999999999999999999"));
        assertUnusable("not a whole number", i -> i.remove("hv:size"));
    }

    @Test
    void uriMustBeFileHttpOrHttps() throws IOException {
        assertEquals("file:///var/lib/x.qcow2",
                spoiled(i -> i.put("hv:uri", "file:///var/lib/x.qcow2")).image().orElseThrow().uri().toString());
        assertTrue(spoiled(i -> i.put("hv:uri", "http://h.example/x")).usable());
        assertUnusable("is not an absolute file:, http: or https: URI", i -> i.put("hv:uri", "ftp://h.example/x"));
        assertUnusable("is not an absolute file:, http: or https: URI", i -> i.put("hv:uri", "javascript:alert(1)"));
        assertUnusable("is not an absolute file:, http: or https: URI", i -> i.put("hv:uri", "relative/path.qcow2"));
        assertUnusable("is not an absolute file:, http: or https: URI", i -> i.put("hv:uri", "https:///nohost"));
        assertUnusable("is not a URI", i -> i.put("hv:uri", "https://h.example/a b"));
        assertUnusable("hv:uri is missing", i -> i.remove("hv:uri"));
    }

    @Test
    void titleIsKeptPrintable() throws IOException {
        ImageStatus s = spoiled(i -> i.put("dc:title", "evil\n\u001b[31mred"));
        assertTrue(s.usable());
        assertEquals("evil\\u000a\\u001b[31mred", s.title());
    }

    @Test
    void anImageListedTwiceInOneListIsUnusable() throws IOException {
        TestLists l = TestLists.list(NOW, NOW.plus(Duration.ofDays(1)));
        l.image(IMAGE_A, SHA_A);
        l.image(IMAGE_A, SHA_A);
        TrustedCatalog c = new CatalogLoader(Clock.fixed(NOW, ZoneOffset.UTC)).load(
                new CatalogSources(List.of(l.write(dir.resolve("l.json"))), true, Optional.empty(), Map.of()));
        assertTrue(c.resolve(IMAGE_A).reason().contains("appears 2 times"), c.resolve(IMAGE_A).reason());
    }

    @Test
    void listLevelFieldsAreCheckedToo() throws IOException {
        TestLists l = TestLists.list(NOW, NOW.plus(Duration.ofDays(1)));
        l.header().put("dc:identifier", "nope");
        TestLists badDate = TestLists.list(NOW, NOW.plus(Duration.ofDays(1)));
        badDate.header().put("dc:date:expires", "next week");
        TestLists badUri = TestLists.list(NOW, NOW.plus(Duration.ofDays(1)));
        badUri.header().put("hv:uri", "gopher://x/");
        TrustedCatalog c = new CatalogLoader(Clock.fixed(NOW, ZoneOffset.UTC)).load(new CatalogSources(
                List.of(l.write(dir.resolve("a.json")), badDate.write(dir.resolve("b.json")),
                        badUri.write(dir.resolve("c.json"))), true, Optional.empty(), Map.of()));
        assertTrue(c.lists().get(0).reason().contains("dc:identifier is missing or not a UUID"), c.lists().get(0).reason());
        assertTrue(c.lists().get(1).reason().contains("'next week' is not an ISO 8601 date"), c.lists().get(1).reason());
        assertTrue(c.lists().get(2).reason().contains("not an absolute file:, http: or https: URI"), c.lists().get(2).reason());
    }
}
