package org.vmgrid.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./bench.sh} and the benchmark scripts it runs pass shellcheck, following what they source
 * (the worker node's and the boot floor's helpers), and the page's template names every part
 * bench.sh fills in.
 */
class BenchScriptsTest {

    /** The checkout: surefire runs in the module's directory. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final List<String> SCRIPTS = List.of("bench.sh", "vm-pilot/pilot/bench-pilot.sh",
            "vm-pilot/pilot/bench-warm.sh", "vm-pilot/pilot/benchmark.sh", "bundles/imagelist/benchmark.sh",
            "ce-plugin/admission/bench.sh", "info-provider/bench/provider-runtime.sh",
            "ce-plugin/blah-service/bench/hook-cost.sh", "ce-plugin/blah-service/bench/ce-runtime-memory.sh");

    @Test
    void shellcheckFindsNothingInTheBenchmarkScriptsNorWhatTheySource() throws Exception {
        List<String> argv = new ArrayList<>(List.of("shellcheck", "-x"));
        argv.addAll(SCRIPTS);
        // from the checkout's top: shellcheck -x finds what "$here/..." sources relative to it
        Process p = new ProcessBuilder(argv).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "shellcheck still runs");
        assertEquals(0, p.exitValue(), said);
    }

    @Test
    void theTemplateHasAPlaceForEveryPartOfThePageAndThePlot() throws Exception {
        String template = Files.readString(ROOT.resolve("docs/benchmarks.md.in"));
        for (String part : List.of("about", "summary", "concurrency", "memory", "floor", "pilot", "warm", "admission",
                "imagelist", "cache", "provider", "blah", "arc")) {
            assertTrue(template.contains("\n@@" + part + "@@\n"), "no @@" + part + "@@ line in docs/benchmarks.md.in");
        }
        assertTrue(template.contains("(benchmarks-concurrency.png)"), "the plot is not on the page");
    }
}
