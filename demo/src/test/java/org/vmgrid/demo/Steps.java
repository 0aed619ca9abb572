package org.vmgrid.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's steps as they run: each named as it starts, its progress lines while it waits, its
 * outcome and time as it ends; at the end one summary table. A step that throws has failed with
 * the exception's message as its reason; the steps after it still run (each brings its own jobs).
 */
final class Steps {

    /** One step's body: does what its user does, answers what happened in one line. */
    @FunctionalInterface
    interface Body {
        String run() throws Exception;
    }

    /** What one step did. */
    record Outcome(String name, boolean ok, String detail, Duration time) {
    }

    private final PrintStream out;
    private final List<Outcome> outcomes = new ArrayList<>();
    private long stepStart;
    private volatile boolean stopRequested;

    Steps(PrintStream out) {
        this.out = out;
    }

    /** Runs one step; answers whether it did what it should. InterruptedException ends the demo. */
    boolean run(String name, Body body) throws InterruptedException {
        if (stopRequested) {
            throw new InterruptedException("stop requested");
        }
        out.printf("%n== %s%n", name);
        stepStart = System.nanoTime();
        Outcome o;
        try {
            String detail = body.run();
            o = new Outcome(name, true, detail, since(stepStart));
            out.printf("   ok (%s): %s%n", seconds(o.time()), detail);
        } catch (InterruptedException e) {
            outcomes.add(new Outcome(name, false, "interrupted", since(stepStart)));
            throw e;
        } catch (Exception | AssertionError e) {
            if (stopRequested) {
                outcomes.add(new Outcome(name, false, "interrupted", since(stepStart)));
                throw new InterruptedException("stop requested");
            }
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            o = new Outcome(name, false, why, since(stepStart));
            out.printf("   FAILED (%s): %s%n", seconds(o.time()), why);
        }
        outcomes.add(o);
        out.flush();
        return o.ok();
    }

    /** Ends the run at once: the current step fails as interrupted, no other step starts. */
    void requestStop() {
        stopRequested = true;
    }

    /** A line of what the current step sees or does. */
    void say(String format, Object... args) {
        out.printf("   " + format + "%n", args);
        out.flush();
    }

    /** A line of progress while the current step waits: how long it has been waiting. */
    void progress(String what) {
        say("... %s (%s)", what, seconds(since(stepStart)));
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    boolean allOk() {
        return !outcomes.isEmpty() && outcomes.stream().allMatch(Outcome::ok);
    }

    /** The summary table: step, result, time, what happened. */
    void summary(Duration total) {
        int width = outcomes.stream().mapToInt(o -> o.name().length()).max().orElse(4);
        String row = "%-" + width + "s  %-6s  %6s  %s%n";
        out.printf("%n== summary%n");
        out.printf(row, "step", "result", "time", "what happened");
        for (Outcome o : outcomes) {
            out.printf(row, o.name(), o.ok() ? "ok" : "FAILED", seconds(o.time()), oneLine(o.detail()));
        }
        out.printf(row, "total", allOk() ? "ok" : "FAILED", seconds(total), "");
        out.flush();
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").strip();
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }

    static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.0f s", d.toMillis() / 1000.0);
    }
}
