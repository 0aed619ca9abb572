package org.vmgrid.arc.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.vmgrid.arc.ArcControl;
import org.vmgrid.arc.ArcControlException;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.CommandRunner;

/** {@link ArcControl} through {@code arcctl -c <arc.conf>}, run with argument lists by the command runner. */
public final class ArcctlControl implements ArcControl {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private final CommandRunner runner;
    private final String arcctl;
    private final Path arcConf;

    public ArcctlControl(CommandRunner runner, String arcctl, Path arcConf) {
        this.runner = runner;
        this.arcctl = arcctl;
        this.arcConf = arcConf;
    }

    @Override
    public List<String> option(String block, String option) {
        return lines(run("config", "get", block, option));
    }

    @Override
    public List<String> enabledRuntimeEnvironments() {
        return lines(run("rte", "list", "--enabled"));
    }

    @Override
    public void enable(List<String> names) {
        if (!names.isEmpty()) {
            run(concat(List.of("rte", "enable"), names));
        }
    }

    @Override
    public void disable(List<String> names) {
        if (!names.isEmpty()) {
            run(concat(List.of("rte", "disable"), names));
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private String run(String... args) {
        return run(List.of(args));
    }

    private String run(List<String> args) {
        List<String> argv = new ArrayList<>(List.of(arcctl, "-c", arcConf.toString()));
        argv.addAll(args);
        CommandResult r = runner.run(Command.of(TIMEOUT, argv));
        String err = r.stderrText().strip();
        // arcctl says "ERROR" on stderr for some failures yet exits 0
        if (r.exitCode() != 0 || err.contains("ERROR") || err.contains("Error:")) {
            throw ArcControlException.toolFailed("'" + Command.of(TIMEOUT, argv).display() + "' failed (exit " + r.exitCode() + "): "
                    + (err.isEmpty() ? r.stdoutText().strip() : err) + "; check " + arcConf + " and that arcctl "
                    + "(nordugrid-arc-arcctl) is installed");
        }
        return r.stdoutText();
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
