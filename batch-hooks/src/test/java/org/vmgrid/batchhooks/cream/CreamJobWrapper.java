package org.vmgrid.batchhooks.cream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job wrapper of CREAM's shape, for tests. CREAM writes each job's wrapper as the job's settings
 * (shell assignments, written as CREAM's {@code JobWrapper} writes them: the command line
 * {@code __cmd_line} with its redirections, the {@code __environment} array, the sandboxes) followed
 * by its template; {@code cream/jobwrapper-body.sh} stands in for the template: it sets the
 * environment, sources {@code cp_1.sh}, makes and enters the working directory {@code workdir},
 * stages the input sandbox, runs {@code __cmd_line} with perl ({@code exec(@ARGV)} of the one
 * string, so {@code /bin/sh -c}) in a forked child beside a proxy-renewal child, sources
 * {@code cp_2.sh}, collects the output sandbox from {@code workdir} and tells CREAM the exit code.
 * The CE's sandbox is a directory on the host ({@code input/}, {@code output/}, with the files
 * {@code marks} and {@code notifications}).
 */
public final class CreamJobWrapper {

    /** The CE's URL a wrapper's {@code __creamjobid} begins with, before the CREAM job id. */
    public static final String CE_URL = "https://ce.example.org:8443/";

    private final String creamJobId;
    private final String executable;
    private final String arguments;
    private final String stdin;
    private final String stdout;
    private final String stderr;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();

    /**
     * @param arguments the JDL's Arguments, as CREAM appends them to the command line (unquoted)
     * @param stdin, stdout, stderr the JDL's StdInput, StdOutput, StdError (file names relative to
     *     the working directory; null for none)
     */
    public CreamJobWrapper(String creamJobId, String executable, String arguments, String stdin, String stdout,
            String stderr) {
        this.creamJobId = creamJobId;
        this.executable = executable.startsWith("/") || executable.startsWith("./") ? executable : "./" + executable;
        this.arguments = arguments;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** A JDL Environment entry. */
    public CreamJobWrapper env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** An input sandbox file, taken from the CE sandbox's {@code input/}. */
    public CreamJobWrapper input(String name) {
        inputs.add(name);
        return this;
    }

    /** An output sandbox file, collected from the working directory into the CE sandbox's {@code output/}. */
    public CreamJobWrapper output(String name) {
        outputs.add(name);
        return this;
    }

    /** The command line as CREAM writes it: executable, arguments, {@code $*}, the redirections. */
    public String commandLine() {
        StringBuilder c = new StringBuilder("\"").append(executable).append("\" ");
        if (arguments != null) {
            c.append(arguments);
        }
        c.append("$* ");
        if (stdin != null) {
            c.append("< \"").append(stdin).append("\"");
        }
        c.append(stdout != null ? " > \"" + stdout + "\"" : " > /dev/null ");
        if (stderr != null) {
            c.append(stderr.equals(stdout) ? " 2>&1" : " 2> \"" + stderr + "\"");
        } else {
            c.append(" 2> /dev/null");
        }
        return c.toString();
    }

    /** The wrapper's text, for a CE sandbox at {@code ceSandbox}. */
    public String render(Path ceSandbox) {
        StringBuilder w = new StringBuilder("#!/bin/bash -l\n__create_subdir=1\n");
        w.append("export __delegationTimeSlot=-1\n");
        w.append("__creamjobid=").append(CE_URL).append(creamJobId).append('\n');
        w.append("__executable=").append(executable).append('\n');
        w.append("__working_directory=").append(creamJobId).append('\n');
        w.append("__cmd_line=").append(norm(commandLine())).append('\n');
        w.append("declare -a __environment\n\n");
        int i = 0;
        for (Map.Entry<String, String> e : environment.entrySet()) {
            w.append("__environment[").append(i++).append("]=").append(norm(e.getKey() + "=" + e.getValue())).append('\n');
        }
        w.append("declare -a __input_file_url\ndeclare -a __input_file_dest\n");
        for (i = 0; i < inputs.size(); i++) {
            w.append("__input_file_url[").append(i).append("]=")
                    .append(norm("file://" + ceSandbox.resolve("input").resolve(inputs.get(i)))).append('\n');
            w.append("__input_file_dest[").append(i).append("]=").append(norm(inputs.get(i))).append('\n');
        }
        w.append("declare -a __output_file\n");
        for (i = 0; i < outputs.size(); i++) {
            w.append("__output_file[").append(i).append("]=").append(norm("${workdir}/" + outputs.get(i))).append('\n');
        }
        w.append("export __ce_sandbox=").append(norm(ceSandbox.toString())).append("\n\n");
        try (InputStream body = CreamJobWrapper.class.getResourceAsStream("/cream/jobwrapper-body.sh")) {
            return w.append(new String(body.readAllBytes(), StandardCharsets.UTF_8)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value as CREAM writes it into the wrapper: double-quoted, its {@code "} and {@code $} escaped. */
    static String norm(String s) {
        return "\"" + s.replace("\"", "\\\"").replace("$", "\\$") + "\"";
    }
}
