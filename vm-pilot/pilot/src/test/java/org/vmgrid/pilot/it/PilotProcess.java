package org.vmgrid.pilot.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.vmgrid.testing.CapturedProcess;
import org.vmgrid.testing.Unprivileged;

/** One pilot process ({@link PilotDriver}) run as the unprivileged user, its output captured. */
final class PilotProcess {

    final CapturedProcess captured;
    final Process process;

    private PilotProcess(CapturedProcess c) {
        this.captured = c;
        this.process = c.process();
    }

    /**
     * Starts a pilot. {@code classPath} must be readable by the unprivileged user.
     */
    static PilotProcess start(String classPath, Path home, Path conf, String image, Path workdir, int timeout,
            String... cmd) throws IOException {
        List<String> argv = Unprivileged.as(home);
        // no perf data: the unprivileged JVMs would leave /tmp/hsperfdata_<user> behind
        argv.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:-UsePerfData", "-cp",
                classPath, PilotDriver.class.getName(), conf.toString(), image, workdir.toString(), Integer.toString(timeout)));
        argv.addAll(List.of(cmd));
        return new PilotProcess(CapturedProcess.start(new ProcessBuilder(argv)));
    }

    /** Waits for the end (bounded, so a hung pilot fails the test instead of hanging it). */
    int await() throws InterruptedException {
        return captured.await(Duration.ofMinutes(10));
    }

    String stdout() {
        return captured.stdout();
    }

    String stderr() {
        return captured.stderr();
    }
}
