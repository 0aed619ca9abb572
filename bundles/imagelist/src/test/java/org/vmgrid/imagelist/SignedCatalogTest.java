package org.vmgrid.imagelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vmgrid.imagelist.TestLists.IMAGE_A;
import static org.vmgrid.imagelist.TestLists.IMAGE_B;
import static org.vmgrid.imagelist.TestLists.SHA_A;
import static org.vmgrid.imagelist.TestLists.SHA_B;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.ImageResolution;

/** S/MIME signed lists, with a CA, signers and lists generated in the test. */
class SignedCatalogTest {

    static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");
    static final Instant YEAR_AGO = NOW.minus(Duration.ofDays(365));
    static final Instant IN_A_YEAR = NOW.plus(Duration.ofDays(365));

    @TempDir
    Path dir;
    Path anchors;
    TestPki.Identity ca;
    TestPki.Identity endorser;
    byte[] list;

    @BeforeEach
    void pki() throws IOException {
        ca = TestPki.ca("Test Endorsement CA", YEAR_AGO, IN_A_YEAR);
        endorser = TestPki.issue(ca, "Image Endorser", YEAR_AGO, IN_A_YEAR, false);
        anchors = Files.createDirectory(dir.resolve("anchors"));
        TestPki.writePem(anchors.resolve("test-ca.pem"), ca.cert());
        TestLists l = TestLists.list(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
        l.image(IMAGE_A, SHA_A);
        l.image(IMAGE_B, SHA_B);
        list = l.bytes();
    }

    TrustedCatalog load(boolean trustUnsigned, byte[]... files) throws IOException {
        List<Path> paths = new java.util.ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            paths.add(Files.write(dir.resolve("list" + i + ".smime"), files[i]));
        }
        return new CatalogLoader(Clock.fixed(NOW, ZoneOffset.UTC)).load(
                new CatalogSources(paths, trustUnsigned, Optional.of(anchors), Map.of("debian-test", IMAGE_A)));
    }

    ListStatus only(byte[] file) throws IOException {
        return load(false, file).lists().get(0);
    }

    @Test
    void goodSignedListIsTrustedInEveryFormatOpensslWrites() throws IOException {
        Map<String, byte[]> forms = Map.of("S/MIME detached", TestPki.smimeDetached(list, endorser),
                "S/MIME -nodetach", TestPki.smimeOpaque(list, endorser), "PEM -nodetach", TestPki.pem(list, endorser, true),
                "DER -nodetach", TestPki.sign(list, endorser, true));
        forms.forEach((form, bytes) -> {
            try {
                TrustedCatalog c = load(false, bytes);
                ListStatus s = c.lists().get(0);
                assertTrue(s.usable(), form + ": " + s.reason());
                assertEquals(Optional.of("CN=Image Endorser,O=vmgrid test"), s.signer(), form);
                assertTrue(s.signed(), form);
                assertEquals(SHA_A, c.resolve("debian-test").image().orElseThrow().sha512(), form);
                assertEquals(2, c.usableImages().size(), form);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void signerBelowAnIntermediateCaCarriedInTheSignatureIsTrusted() throws IOException {
        TestPki.Identity sub = TestPki.issue(ca, "Intermediate CA", YEAR_AGO, IN_A_YEAR, true);
        TestPki.Identity signer = TestPki.issue(sub, "Deep Endorser", YEAR_AGO, IN_A_YEAR, false);
        ListStatus s = only(TestPki.smimeDetached(list, signer));
        assertTrue(s.usable(), s.reason());
    }

    @Test
    void listSignedDirectlyByTheAnchorIsTrusted() throws IOException {
        ListStatus s = only(TestPki.smimeOpaque(list, ca));
        assertTrue(s.usable(), s.reason());
    }

    @Test
    void tamperedContentIsRefused() throws IOException {
        String detached = new String(TestPki.smimeDetached(list, endorser), StandardCharsets.UTF_8);
        assertRefused("does not match the list's content", detached.replace(SHA_B, SHA_A).getBytes(StandardCharsets.UTF_8));
        byte[] der = TestPki.sign(list, endorser, true);
        String latin = new String(der, StandardCharsets.ISO_8859_1);
        int at = latin.indexOf("2752512");
        assertTrue(at > 0, "the encapsulated list holds the image size");
        der[at] = '9';
        assertRefused("does not match the list's content", der);
    }

    @Test
    void signatureOfAnotherListDoesNotCoverThisOne() throws IOException {
        String good = new String(TestPki.smimeDetached(list, endorser), StandardCharsets.UTF_8);
        String other = new String(TestPki.smimeDetached("{\"hv:imagelist\": {}}\n".getBytes(StandardCharsets.UTF_8),
                endorser), StandardCharsets.UTF_8);
        String swapped = good.substring(0, good.indexOf("Content-Type: application/x-pkcs7-signature"))
                + other.substring(other.indexOf("Content-Type: application/x-pkcs7-signature"));
        assertRefused("does not match the list's content", swapped.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void signerFromAnotherCaIsRefused() throws IOException {
        TestPki.Identity rogueCa = TestPki.ca("Rogue CA", YEAR_AGO, IN_A_YEAR);
        TestPki.Identity rogue = TestPki.issue(rogueCa, "Image Endorser", YEAR_AGO, IN_A_YEAR, false);
        ListStatus s = assertRefused("does not chain to a trusted CA: 1 CA certificate(s) in " + anchors,
                TestPki.smimeDetached(list, rogue));
        assertTrue(s.reason().contains("issued by CN=Rogue CA,O=vmgrid test"), s.reason());
        assertTrue(s.signed());
        assertEquals(Optional.empty(), s.signer(), "only a trusted signature names its signer");
    }

    @Test
    void selfSignedSignerIsRefused() throws IOException {
        assertRefused("does not chain to a trusted CA", TestPki.smimeOpaque(list, TestPki.ca("Self", YEAR_AGO, IN_A_YEAR)));
    }

    @Test
    void expiredSignerCertificateIsRefused() throws IOException {
        Instant expired = NOW.minus(Duration.ofDays(2));
        TestPki.Identity old = TestPki.issue(ca, "Old Endorser", YEAR_AGO, expired, false);
        ListStatus s = assertRefused("the signer's certificate CN=Old Endorser,O=vmgrid test expired on "
                + expired.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), TestPki.smimeDetached(list, old));
        assertTrue(s.reason().startsWith("signature not trusted: "), s.reason());
    }

    @Test
    void expiredIntermediateCaIsRefused() throws IOException {
        TestPki.Identity sub = TestPki.issue(ca, "Lapsed CA", YEAR_AGO, NOW.minus(Duration.ofDays(1)), true);
        TestPki.Identity signer = TestPki.issue(sub, "Endorser", YEAR_AGO, IN_A_YEAR, false);
        assertRefused("does not chain to a trusted CA", TestPki.smimeDetached(list, signer));
    }

    @Test
    void expiredTrustAnchorIsNotTrusted() throws IOException {
        Instant lapsed = NOW.minus(Duration.ofDays(3));
        TestPki.Identity oldCa = TestPki.ca("Lapsed Root", YEAR_AGO, lapsed);
        TestPki.writePem(anchors.resolve("lapsed.pem"), oldCa.cert());
        TestPki.Identity signer = TestPki.issue(oldCa, "Endorser", YEAR_AGO, IN_A_YEAR, false);
        ListStatus s = assertRefused("does not chain to a trusted CA", TestPki.smimeDetached(list, signer));
        assertTrue(s.reason().contains("not valid now: CN=Lapsed Root,O=vmgrid test"), s.reason());
        assertRefused("CN=Lapsed Root,O=vmgrid test expired on", TestPki.smimeDetached(list, oldCa));
    }

    @Test
    void expiredSignedListIsRefusedWithItsDate() throws IOException {
        TestLists l = TestLists.list(YEAR_AGO, Instant.parse("2026-10-01T00:00:00Z"));
        l.image(IMAGE_A, SHA_A);
        TrustedCatalog c = load(false, TestPki.smimeDetached(l.bytes(), endorser));
        assertFalse(c.lists().get(0).usable());
        ImageResolution r = c.resolve("debian-test");
        assertFalse(r.isUsable());
        assertTrue(r.reason().contains("list expired on 2026-10-01T00:00:00Z"), r.reason());
    }

    @Test
    void trustingUnsignedListsDoesNotExcuseABadSignature() throws IOException {
        TestPki.Identity rogue = TestPki.issue(TestPki.ca("Rogue CA", YEAR_AGO, IN_A_YEAR), "X", YEAR_AGO, IN_A_YEAR, false);
        TrustedCatalog c = load(true, TestPki.smimeDetached(list, rogue), list);
        assertFalse(c.lists().get(0).usable());
        assertTrue(c.lists().get(1).usable(), "the unsigned list is trusted: " + c.lists().get(1).reason());
    }

    @Test
    void unsignedListNextToSignedOnesNeedsExplicitTrust() throws IOException {
        TrustedCatalog c = load(false, list, TestPki.smimeDetached(list, endorser));
        assertFalse(c.lists().get(0).usable());
        assertTrue(c.lists().get(0).reason().contains("not signed"), c.lists().get(0).reason());
        assertTrue(c.lists().get(1).usable(), c.lists().get(1).reason());
    }

    @Test
    void detachedPemSignatureWithoutTheListIsRefusedWithAdvice() throws IOException {
        assertRefused("detached signature without the list in it; sign with openssl smime -sign -nodetach",
                TestPki.pem(list, endorser, false));
    }

    @Test
    void missingTrustAnchorsAreNamed() throws IOException {
        Files.delete(anchors.resolve("test-ca.pem"));
        Files.writeString(anchors.resolve("junk.pem"), "not a certificate");
        assertRefused("there is no trust anchor to check it against: 0 CA certificate(s) in " + anchors
                + "; unreadable: junk.pem", TestPki.smimeDetached(list, endorser));
    }

    @Test
    void detachedListWithLineEndsConvertedToLfStillVerifies() throws IOException {
        String lf = new String(TestPki.smimeDetached(list, endorser), StandardCharsets.UTF_8).replace("\r\n", "\n");
        ListStatus s = only(lf.getBytes(StandardCharsets.UTF_8));
        assertTrue(s.usable(), s.reason());
    }

    @Test
    void imageDroppedFromANewerSignedListIsRevoked() throws IOException {
        TestLists newer = TestLists.list(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(30)));
        newer.image(IMAGE_B, SHA_B);
        TrustedCatalog c = load(false, TestPki.smimeDetached(list, endorser), TestPki.smimeDetached(newer.bytes(), endorser));
        ImageResolution r = c.resolve("debian-test");
        assertFalse(r.isUsable());
        assertTrue(r.reason().contains("was revoked: it is no longer listed in the newer version"), r.reason());
        assertTrue(c.resolve(IMAGE_B).isUsable());
    }

    @Test
    void aForgedNewerVersionCannotRevokeImages() throws IOException {
        TestLists newer = TestLists.list(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(30)));
        newer.image(IMAGE_B, SHA_B);
        TestPki.Identity rogue = TestPki.issue(TestPki.ca("Rogue CA", YEAR_AGO, IN_A_YEAR), "X", YEAR_AGO, IN_A_YEAR, false);
        TrustedCatalog c = load(false, TestPki.smimeDetached(list, endorser), TestPki.smimeDetached(newer.bytes(), rogue));
        assertTrue(c.resolve("debian-test").isUsable(), c.resolve("debian-test").reason());
    }

    @Test
    void noSingleByteChangeOfASignedListGivesTrustedDifferentContent() throws IOException {
        java.util.Random random = new java.util.Random(1127L);
        for (byte[] original : List.of(TestPki.smimeDetached(list, endorser), TestPki.smimeOpaque(list, endorser))) {
            for (int round = 0; round < 100; round++) {
                byte[] mutated = original.clone();
                int at = random.nextInt(mutated.length);
                mutated[at] = (byte) (mutated[at] ^ (1 + random.nextInt(255)));
                TrustedCatalog c = load(false, mutated);
                if (c.lists().get(0).usable()) {
                    assertEquals(2, c.usableImages().size(), "byte " + at);
                    assertEquals(SHA_A, c.resolve(IMAGE_A).image().orElseThrow().sha512(), "byte " + at);
                    assertEquals(SHA_B, c.resolve(IMAGE_B).image().orElseThrow().sha512(), "byte " + at);
                } else {
                    String why = c.lists().get(0).reason();
                    assertFalse(why.isBlank());
                    assertFalse(why.startsWith("the list cannot be read: "), "unexpected exception at byte " + at + ": " + why);
                }
            }
        }
    }

    @Test
    void anotherTrustedEndorserCannotRevokeThisEndorsersImages() throws IOException {
        TestPki.Identity other = TestPki.issue(ca, "Other Endorser", YEAR_AGO, IN_A_YEAR, false);
        TestLists newer = TestLists.list(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(30)));
        newer.image(IMAGE_B, SHA_B);
        TrustedCatalog c = load(false, TestPki.smimeDetached(list, endorser), TestPki.smimeDetached(newer.bytes(), other));
        assertTrue(c.lists().get(0).usable(), c.lists().get(0).reason());
        assertTrue(c.lists().get(1).usable(), c.lists().get(1).reason());
        assertTrue(c.resolve("debian-test").isUsable(), c.resolve("debian-test").reason());
    }

    private ListStatus assertRefused(String expected, byte[] file) throws IOException {
        TrustedCatalog c = load(false, file);
        ListStatus s = c.lists().get(0);
        assertFalse(s.usable(), "accepted");
        assertTrue(s.reason().contains(expected), s.reason());
        assertTrue(c.usableImages().isEmpty());
        assertFalse(c.resolve(IMAGE_A).isUsable());
        return s;
    }
}
