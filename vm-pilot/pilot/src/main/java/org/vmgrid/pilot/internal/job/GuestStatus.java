package org.vmgrid.pilot.internal.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the guest reported on its status port ({@code org.vmgrid.status}): {@code booted} when the
 * payload starts, then exactly one of {@code exit <0-255>} or {@code error <reason>}. Anything else
 * is ignored; the guest is untrusted, so its reason is cut short and stripped of control characters.
 */
record GuestStatus(boolean booted, OptionalInt exitCode, Optional<String> error) {

    private static final Pattern EXIT = Pattern.compile("exit (\\d{1,3})");
    private static final int MAX_REASON = 200;

    boolean finished() {
        return exitCode.isPresent() || error.isPresent();
    }

    /**
     * What the guest has reported so far on its status port, read from the file the port writes.
     *
     * @param max the most bytes a guest may write there
     * @throws IOException also when the guest wrote more than {@code max} bytes, saying so
     */
    static GuestStatus read(FileChannel file, int max) throws IOException {
        byte[] b = GuestFiles.head(file, max);
        if (b.length > max) {
            throw new StatusOverflow(max);
        }
        return parse(new String(b, StandardCharsets.ISO_8859_1));
    }

    /** The guest wrote more to its status port than the contract's few short lines. */
    static final class StatusOverflow extends IOException {
        StatusOverflow(int max) {
            super("the guest wrote more than " + max + " bytes to its status port (a few short lines are expected)");
        }
    }

    static GuestStatus parse(String text) {
        boolean booted = false;
        OptionalInt exit = OptionalInt.empty();
        Optional<String> error = Optional.empty();
        String[] lines = text.split("\n", -1);
        // the last piece has no newline yet: it may still be being written
        for (int i = 0; i < lines.length - 1 && exit.isEmpty() && error.isEmpty(); i++) {
            String line = lines[i].strip();
            Matcher m = EXIT.matcher(line);
            if (line.equals("booted")) {
                booted = true;
            } else if (m.matches() && Integer.parseInt(m.group(1)) <= 255) {
                exit = OptionalInt.of(Integer.parseInt(m.group(1)));
            } else if (line.startsWith("error ")) {
                String reason = line.substring(6).replaceAll("[^\\x20-\\x7e]", "?");
                error = Optional.of(reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "..." : reason);
            }
        }
        return new GuestStatus(booted, exit, error);
    }
}
