package org.vmgrid.imagelist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vmgrid.imagelist.internal.Envelope;
import org.vmgrid.imagelist.internal.SmimeReader;

/** Taking list files apart: what is unsigned, what is signed, and what is neither. */
class SmimeReaderTest {

    final SmimeReader reader = new SmimeReader();
    final Instant now = Instant.parse("2026-11-27T06:00:00Z");

    @Test
    void jsonIsAnUnsignedList() {
        byte[] json = "  \n{\"hv:imagelist\": {}}".getBytes(StandardCharsets.UTF_8);
        Envelope e = reader.open(json);
        assertTrue(e.signature().isEmpty());
        assertArrayEquals(json, e.json());
    }

    @Test
    void detachedSmimeGivesTheListAndTheSignedBytes() {
        TestPki.Identity ca = TestPki.ca("CA", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
        byte[] json = "{\"hv:imagelist\": {}}\n".getBytes(StandardCharsets.UTF_8);
        Envelope e = reader.open(TestPki.smimeDetached(json, ca));
        assertEquals("{\"hv:imagelist\": {}}\r\n", new String(e.json(), StandardCharsets.UTF_8));
        assertEquals(2, e.signature().orElseThrow().detachedContent().size());
    }

    @Test
    void otherFilesAreRefusedWithAReason() {
        for (String text : new String[] {"root:x:0:0:root:/root:/bin/bash\n", "hello world", "",
                "Content-Type: text/plain\n\n{}", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "MIME-Version: 1.0\nContent-Type: multipart/signed; boundary=\"b\"\n\n--b\n{}\n"}) {
            ImageListException e = assertThrows(ImageListException.class,
                    () -> reader.open(text.getBytes(StandardCharsets.UTF_8)), text);
            assertTrue(e.getMessage().length() < 300, e.getMessage());
        }
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButImageListException() {
        Random random = new Random(20261127L);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            if (junk.length > 0 && i % 3 == 0) {
                junk[0] = 0x30;
            }
            try {
                reader.open(junk);
            } catch (ImageListException expected) {
                assertTrue(!expected.getMessage().isBlank());
            }
        }
    }
}
