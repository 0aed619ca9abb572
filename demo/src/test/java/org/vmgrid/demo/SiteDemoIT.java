package org.vmgrid.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./demo.sh}'s steps as the demo runs them ({@link SiteDemo}, the site {@link DemoSite}
 * composed of the integration tests' fixtures): every step does what it should, the summary names
 * them all, and once it ends nothing it wrote is left. Each step's own contract is also tested on
 * its own (ArcCeIT, CeChainIT, CreamJobWrapperIT, the info provider's ITs); this is their
 * composition into one site: the ARC and the CREAM VM jobs on one SLURM and one pilot service, the
 * plain jobs beside them, the refusals of both CEs, the BDII, the accounting of both VM jobs.
 */
class SiteDemoIT {

    @Test
    void everyStepOfTheDemoDoesWhatItShouldAndNothingIsLeft() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(new TeeStream(System.out, bytes), true, StandardCharsets.UTF_8);
        SiteDemo demo = new SiteDemo(both);
        int rc = demo.run(false);
        String output = bytes.toString(StandardCharsets.UTF_8);
        List<Steps.Outcome> outcomes = demo.outcomes();
        assertEquals(7, outcomes.size(), output);
        for (Steps.Outcome o : outcomes) {
            assertTrue(o.ok(), o.name() + ": " + o.detail());
        }
        assertEquals(0, rc, output);
        String summary = output.substring(output.lastIndexOf("== summary"));
        for (Steps.Outcome o : outcomes) {
            assertTrue(summary.contains(o.name()), "the summary names " + o.name() + ": " + summary);
        }
        assertTrue(summary.lines().anyMatch(l -> l.startsWith("total") && l.contains(" ok ")), summary);
        assertFalse(demo.written().isEmpty());
        for (Path p : demo.written()) {
            assertFalse(Files.exists(p), p + " was left behind");
        }
    }

    /** Writes to two streams: the demo's output shows in the test's log as it runs. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
