package org.vmgrid.imagelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.testing.OpensslEndorser;

/**
 * Lists signed by the real {@code openssl smime -sign} in every output form are trusted, and
 * tampered ones are not; and what the unit tests' signer writes, openssl accepts.
 */
class OpensslSignedListIT {

    @TempDir
    Path dir;
    OpensslEndorser endorser;
    Path anchors;
    Path list;

    CommandResult openssl(String... args) {
        return endorser.openssl(args);
    }

    @BeforeEach
    void pki() throws IOException {
        endorser = OpensslEndorser.create(dir);
        anchors = endorser.anchors();
        Instant now = Instant.now();
        TestLists l = TestLists.list(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)));
        l.image(TestLists.IMAGE_A, TestLists.SHA_A);
        list = l.write(dir.resolve("list.json"));
    }

    TrustedCatalog load(Path... files) {
        return new CatalogLoader(Clock.systemUTC()).load(
                new CatalogSources(List.of(files), false, Optional.of(anchors), Map.of()));
    }

    Path sign(String out, String... extra) {
        return endorser.sign(list, dir.resolve(out), extra);
    }

    @Test
    void everyFormOfOpensslSmimeSignIsTrusted() {
        List<Path> signed = List.of(sign("detached.smime"), sign("opaque.smime", "-nodetach"),
                sign("opaque.pem", "-nodetach", "-outform", "PEM"), sign("opaque.der", "-nodetach", "-outform", "DER"),
                sign("text.smime", "-text"), sign("binary.smime", "-binary"));
        TrustedCatalog c = load(signed.toArray(Path[]::new));
        for (ListStatus s : c.lists()) {
            assertTrue(s.usable(), s.path().getFileName() + ": " + s.reason());
            assertEquals(Optional.of("CN=openssl IT Endorser,O=vmgrid test"), s.signer());
        }
        assertEquals(TestLists.SHA_A, c.resolve(TestLists.IMAGE_A).image().orElseThrow().sha512());
    }

    @Test
    void listChangedAfterOpensslSignedItIsRefused() throws IOException {
        Path detached = sign("detached.smime");
        Files.writeString(detached, Files.readString(detached, StandardCharsets.ISO_8859_1).replace("2752512", "2752513"),
                StandardCharsets.ISO_8859_1);
        TrustedCatalog c = load(detached);
        assertFalse(c.lists().get(0).usable());
        assertTrue(c.lists().get(0).reason().contains("does not match the list's content"), c.lists().get(0).reason());
    }

    @Test
    void detachedPemFromOpensslIsRefusedWithAdvice() {
        TrustedCatalog c = load(sign("detached.pem", "-outform", "PEM"));
        assertTrue(c.lists().get(0).reason().contains("sign with openssl smime -sign -nodetach"), c.lists().get(0).reason());
    }

    @Test
    void opensslVerifiesWhatTheTestSignerWrites() throws IOException {
        TestPki.Identity ca = TestPki.ca("Unit CA", Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(1)));
        TestPki.Identity signer = TestPki.issue(ca, "Unit Endorser", Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(1)), false);
        TestPki.writePem(dir.resolve("unit-ca.pem"), ca.cert());
        byte[] json = Files.readAllBytes(list);
        Files.write(dir.resolve("unit-detached.smime"), TestPki.smimeDetached(json, signer));
        Files.write(dir.resolve("unit-opaque.smime"), TestPki.smimeOpaque(json, signer));
        for (String f : List.of("unit-detached.smime", "unit-opaque.smime")) {
            CommandResult r = openssl("smime", "-verify", "-in", f, "-CAfile", "unit-ca.pem", "-purpose", "any");
            assertEquals(new String(json, StandardCharsets.UTF_8).replace("\n", "\r\n"), r.stdoutText(), f);
        }
    }
}
