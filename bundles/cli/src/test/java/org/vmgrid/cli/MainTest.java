package org.vmgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpListsEverySubcommand() {
        Result r = run("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"jdl", "pilot", "appliance", "info", "find", "image", "version", "serve", "config", "blah", "cream"}) {
            assertTrue(r.out().contains("\n  " + c + " "), "help does not list " + c + ":\n" + r.out());
        }
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Result r = run("version");
        assertEquals(0, r.code());
        assertTrue(r.out().matches("vmgrid \\d+\\.\\d+\\.\\d+.*\\R"), r.out());
    }

    @Test
    void unknownCommandIsAUsageError() {
        Result r = run("frobnicate");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("frobnicate"), r.err());
    }

    @Test
    void configCheckOfABadDirectoryExitsWithConfigCode() {
        Result r = run("config", "check", "--config-dir", "/nonexistent/vmgrid");
        assertEquals(ExitCodes.CONFIG, r.code());
        assertTrue(r.err().contains("/nonexistent/vmgrid: configuration directory does not exist"), r.err());
    }
}
