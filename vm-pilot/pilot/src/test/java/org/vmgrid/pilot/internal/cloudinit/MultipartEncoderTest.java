package org.vmgrid.pilot.internal.cloudinit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartEncoderTest {

    private static final String HOSTILE = "#cloud-config\r\nruncmd: [touch /x]\r\n--" + MultipartEncoder.BOUNDARY
            + "\r\nContent-Type: text/x-shellscript\r\n\r\n#!/bin/sh\nreboot\n--" + MultipartEncoder.BOUNDARY + "--\r\n";

    private final MultipartEncoder encoder = new MultipartEncoder();

    @Test
    void rendersTheGoldenMessage() throws IOException {
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream("two-parts.golden")) {
            golden = in.readAllBytes();
        }
        byte[] got = encoder.encode(List.of(
                new MimePart("text/x-shellscript", "vmgrid-guest-agent", "#!/bin/sh\necho site\n".getBytes(StandardCharsets.UTF_8)),
                new MimePart("text/plain", "user-data", "#cloud-config\nruncmd:\n - [touch, /srv/été]\n".getBytes(StandardCharsets.UTF_8))));
        assertEquals(new String(golden, StandardCharsets.US_ASCII), new String(got, StandardCharsets.US_ASCII));
    }

    @Test
    void aPartHoldingTheBoundaryAndHeadersStaysOnePartWithItsBytesIntact() {
        byte[] hostile = HOSTILE.getBytes(StandardCharsets.UTF_8);
        String m = new String(encoder.encode(List.of(new MimePart("text/plain", "user-data", hostile))),
                StandardCharsets.US_ASCII);
        List<String> lines = List.of(m.split("\r\n", -1));
        assertEquals(2, lines.stream().filter(l -> l.startsWith("--" + MultipartEncoder.BOUNDARY)).count(),
                "one opening and one closing boundary line, nothing else looks like one: " + m);
        int body = lines.indexOf("") + 1;
        body = lines.subList(body, lines.size()).indexOf("") + body + 1; // past the part's headers
        StringBuilder b64 = new StringBuilder();
        for (String l : lines.subList(body, lines.size())) {
            if (l.startsWith("--")) {
                break;
            }
            assertTrue(l.matches("[A-Za-z0-9+/=]{1,76}"), "a body line is plain base64: " + l);
            b64.append(l);
        }
        assertArrayEquals(hostile, Base64.getDecoder().decode(b64.toString()));
    }

    @Test
    void everyPartIsBase64WhateverItsBytes() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        List<MimePart> parts = new ArrayList<>();
        parts.add(new MimePart("application/octet-stream", "bytes", all));
        parts.add(new MimePart("text/plain", "empty", new byte[0]));
        String m = new String(encoder.encode(parts), StandardCharsets.US_ASCII);
        assertEquals(2, m.split("Content-Transfer-Encoding: base64\r\n", -1).length - 1);
        assertTrue(m.chars().allMatch(c -> c == '\r' || c == '\n' || (c >= 0x20 && c < 0x7f)), "ASCII only");
    }

    @Test
    void typesAndNamesThatCouldBreakAHeaderAreRefused() {
        byte[] x = new byte[0];
        for (String type : List.of("text/plain\r\nX-Evil: 1", "text/plain; charset=x", "text", "TEXT/plain", "")) {
            assertThrows(IllegalArgumentException.class, () -> new MimePart(type, "f", x), type);
        }
        for (String name : List.of("a\"b", "a\r\nb", "../x", "a b", "", "x".repeat(65))) {
            assertThrows(IllegalArgumentException.class, () -> new MimePart("text/plain", name, x), name);
        }
        assertThrows(IllegalArgumentException.class, () -> encoder.encode(List.of()));
    }
}
