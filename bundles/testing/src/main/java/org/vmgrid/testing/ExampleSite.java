package org.vmgrid.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A copy of an example site configuration (config-examples/site) that a test may change. */
public final class ExampleSite {

    private ExampleSite() {
    }

    /** Copies every file and directory under {@code examples} into {@code target}; returns {@code target}. */
    public static Path copy(Path examples, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.walk(examples)) {
            for (Path p : files.toList()) {
                Path to = target.resolve(examples.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }
}
