package org.vmgrid.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * Runs the repository's {@code ./vmgrid} launcher on the freshly assembled distribution, as a site
 * admin would: {@code serve} starts the Felix runtime and stops cleanly on SIGTERM; a bad site
 * configuration stops start-up with the file, line and key.
 */
public class LauncherIT {

    static final Path ROOT = Path.of(System.getProperty("vmgrid.config.examples")).getParent();

    private static Process launch(String... args) throws IOException {
        String[] argv = new String[args.length + 1];
        argv[0] = ROOT.resolve("vmgrid").toString();
        System.arraycopy(args, 0, argv, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().remove("VMGRID_CONF_DIR");
        return pb.start();
    }

    @Test
    public void serveStartsTheRuntimeAndStopsOnSigterm() throws Exception {
        Path storage = Files.createTempDirectory("vmgrid-felix-it");
        Process p = launch("serve", "--config-dir", ROOT.resolve("config-examples/site").toString(),
                "--storage", storage.toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String line;
            boolean started = false;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("vmgrid runtime started:")) {
                    started = true;
                    break;
                }
            }
            assertTrue("the runtime did not start:\n" + seen, started);
            p.toHandle().destroy(); // SIGTERM, leaving our end of the pipes open to read the rest
            assertTrue("vmgrid serve did not stop within 20 s of SIGTERM", p.waitFor(20, TimeUnit.SECONDS));
            StringBuilder rest = new StringBuilder();
            while ((line = out.readLine()) != null) {
                rest.append(line).append('\n');
            }
            assertEquals("the JVM's exit status after SIGTERM and its shutdown hooks", 143, p.exitValue());
            assertTrue("errors while running or stopping:\n" + seen + rest, !(seen.toString() + rest).contains("ERROR"));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            try (var files = Files.walk(storage)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    public void badConfigurationStopsStartUpWithFileLineAndKey() throws Exception {
        Path conf = Files.createTempDirectory("vmgrid-conf-it");
        try {
            Files.writeString(conf.resolve("limits.properties"), "memory.max = 4096\ncpus.max = many\n");
            Process p = launch("serve", "--config-dir", conf.toString());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(out, 78, p.exitValue());
            assertTrue(out, out.contains(conf.resolve("limits.properties") + ":2: cpus.max = 'many' is not allowed"));
        } finally {
            Files.deleteIfExists(conf.resolve("limits.properties"));
            Files.deleteIfExists(conf);
        }
    }
}
