package org.vmgrid.info;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.vmgrid.api.ImageDescriptor;

/** A copy of the example site configuration and a few images, one of them with hostile text. */
final class InfoFixtures {

    static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String APPLIANCE = "3f8b5c2e-9a41-4d7e-8c3b-1f2a6d9e0b47";
    static final String OTHER = "7d0c1e2f-3a4b-4c5d-8e6f-a0b1c2d3e4f5";
    static final String EXPIRED = "11111111-2222-4333-8444-555555555555";
    static final String HOSTILE = " Evil\ndn: o=grid\nobjectClass: top <x>]]>&\u0001\u00e9 ";

    private InfoFixtures() {
    }

    /** config-examples/site copied into dir, with extra lines appended to some files. */
    static Path site(Path dir, String policy) throws IOException {
        Path example = Path.of("../config-examples/site");
        try (Stream<Path> s = Files.list(example)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        Files.createDirectories(dir.resolve("imagelists"));
        Files.copy(example.resolve("imagelists/example-unsigned.json"), dir.resolve("imagelists/example-unsigned.json"));
        // the pilots' accounting lives in the test's directory (absent unless a test writes it)
        String pilot = Files.readString(dir.resolve("pilot.properties"))
                .replaceAll("(?m)^accounting\\.file = .*$", "accounting.file = " + dir.resolve("accounting.jsonl"));
        Files.writeString(dir.resolve("pilot.properties"), pilot);
        if (policy != null) {
            Files.writeString(dir.resolve("policy.properties"), policy);
        }
        return dir;
    }

    static ImageDescriptor image(String uuid, String title, String version, Instant expires, List<String> aliases) {
        return new ImageDescriptor(uuid, title, version, URI.create("https://images.example.org/" + uuid + ".qcow2"),
                2752512, "ab".repeat(64), URI.create("file:///etc/vmgrid/imagelists/example.json"), expires, aliases);
    }

    static List<ImageDescriptor> images() {
        return List.of(
                image(OTHER, HOSTILE, "v2\r\n", Instant.parse("2036-11-01T00:00:00Z"), List.of()),
                image(APPLIANCE, "vmgrid test appliance", "1", Instant.parse("2036-11-01T00:00:00Z"), List.of("debian-test")),
                image(EXPIRED, "old", "1", NOW, List.of()));
    }
}
