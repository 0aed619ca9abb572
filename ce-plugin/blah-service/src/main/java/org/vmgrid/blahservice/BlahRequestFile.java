package org.vmgrid.blahservice;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmgrid.decision.ImageTag;
import org.vmgrid.decision.ReservedTerms;

/**
 * The request file as BLAH writes it into the script it runs the hook from: one shell assignment
 * per line, {@code Name='value'} or, for {@code Member(...)} terms, {@code Name[i]='value'}. BLAH
 * deletes single quotes from values, so a value is whatever lies between the two quotes, as BLAH's
 * unwinder printed it (ClassAd strings keep their double quotes). BLAH's own lines are its shebang,
 * {@code blah_opt_mpinodes=N} and the line sourcing the hook; any other line (a value spanning lines,
 * a command) is one vmgrid cannot read.
 *
 * @param assignments the assignments, in order
 * @param vmLines the lines that look like a VM request, exactly as the hook tells them apart: a name
 *     starting {@code vmgrid} or a {@code GlueHostApplicationSoftwareRunTimeEnvironment} line
 *     holding {@code VM-IMAGE-} (any case)
 * @param unreadable the lines that are neither an assignment of the form above nor one of BLAH's own
 */
public record BlahRequestFile(List<Assignment> assignments, List<String> vmLines, List<String> unreadable) {

    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:\\[([0-9]{1,4})\\])?='([^']*)'");
    /** BLAH's own lines around the request file's. */
    private static final Pattern BLAH_LINE = Pattern.compile("#!/bin/(ba)?sh|blah_opt_mpinodes=[0-9]{1,9}"
            + "|(source|\\.) /[^\\s;&|<>`$'\"]*_local_submit_attributes\\.sh|");
    private static final String TAG_ATTRIBUTE = ReservedTerms.TAG_ATTRIBUTE.toLowerCase(Locale.ROOT);

    /**
     * One assignment.
     *
     * @param name the variable, as written
     * @param index the array index of {@code Name[i]='value'}
     * @param value the text between the single quotes
     */
    public record Assignment(String name, OptionalInt index, String value) {
    }

    public BlahRequestFile {
        assignments = List.copyOf(assignments);
        vmLines = List.copyOf(vmLines);
        unreadable = List.copyOf(unreadable);
    }

    /** Reads a script's text. */
    public static BlahRequestFile parse(String script) {
        List<Assignment> assignments = new ArrayList<>();
        List<String> vm = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String line : script.split("\n", -1)) {
            Matcher m = ASSIGNMENT.matcher(line);
            boolean assignment = m.matches();
            if (assignment) {
                assignments.add(new Assignment(m.group(1), m.group(2) == null ? OptionalInt.empty()
                        : OptionalInt.of(Integer.parseInt(m.group(2))), m.group(3)));
            }
            if (!assignment && !BLAH_LINE.matcher(line).matches()) {
                unreadable.add(line);
            }
            if (looksLikeVm(line)) {
                vm.add(line);
            }
        }
        return new BlahRequestFile(assignments, vm, unreadable);
    }

    /** The hook's own test, {@code case} patterns of {@code <lrms>_local_submit_attributes.sh}. */
    static boolean looksLikeVm(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        return lower.startsWith("vmgrid") || (lower.startsWith(TAG_ATTRIBUTE) && ImageTag.mentions(line));
    }

    /** True when some line asks for a VM (or pretends to). */
    public boolean asksForVm() {
        return !vmLines.isEmpty();
    }
}
