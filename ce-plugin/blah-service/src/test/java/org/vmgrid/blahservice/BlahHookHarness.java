package org.vmgrid.blahservice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.config.LimitsSection;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * BLAH's hook contract, reproduced: the hooks installed in a BLAH libexec directory (as
 * {@code vmgrid blah install-hooks} does: {@link HookInstaller}), the hook service on a unix socket,
 * and {@link #run} doing what BLAH does per submission: write the submit-attributes script (its
 * shebang, the request file, {@code source <libexec>/<lrms>_local_submit_attributes.sh}), run it the
 * way one BLAH runs it ({@link Blah}), and take its stdout for the submit script.
 */
public final class BlahHookHarness implements AutoCloseable {

    /** How a BLAH runs the submit-attributes script. */
    public enum Blah {
        /**
         * prelz BLAH where {@code /bin/sh} is bash (the SL/RHEL hosts CREAM ran on): {@code #!/bin/sh}
         * and {@code source <hook>}, run by bash in POSIX mode, its stderr dropped and its exit status
         * ignored; the hook's lines go before BLAH's own directives.
         */
        PRELZ_SH_IS_BASH("#!/bin/sh", "source", List.of("/bin/bash", "--posix")),
        /**
         * The same script where {@code /bin/sh} is dash, the hook sourced with POSIX {@code .}: the
         * hook parses and runs under dash. (prelz BLAH itself writes {@code source}, which dash does
         * not have: see {@link #PRELZ_AS_WRITTEN_UNDER_DASH}.)
         */
        DASH("#!/bin/sh", ".", List.of("/bin/dash")),
        /**
         * HTCondor's blahp: {@code #!/bin/bash}, run by {@code /bin/bash}, stderr kept, a non-zero
         * exit aborts the submission; the hook's lines go after BLAH's own directives.
         */
        HTCONDOR_BLAHP("#!/bin/bash", "source", List.of("/bin/bash")),
        /** prelz BLAH's script as it writes it, where {@code /bin/sh} is dash: {@code source} is not found. */
        PRELZ_AS_WRITTEN_UNDER_DASH("#!/bin/sh", "source", List.of("/bin/dash"));

        private final String shebang;
        private final String source;
        private final List<String> shell;

        Blah(String shebang, String source, List<String> shell) {
            this.shebang = shebang;
            this.source = source;
            this.shell = shell;
        }

        /** The ways vmgrid's hooks must work under. */
        public static final List<Blah> SUPPORTED = List.of(PRELZ_SH_IS_BASH, DASH, HTCONDOR_BLAHP);

        /** True when BLAH drops the script's stderr and ignores its exit status. */
        public boolean dropsStderr() {
            return this != HTCONDOR_BLAHP;
        }
    }

    /** What one hook run printed. */
    public record HookRun(Blah blah, int exitCode, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }
    }

    /** The limits the hook tests admit against: up to 4096 MiB, 4 CPUs, outbound network allowed. */
    static final LimitsSection LIMITS = new LimitsSection(2048, 4096, 1, 4, NetworkMode.OUTBOUND, 16384, 256);
    /** The hooks as the repository holds them (ce-plugin/blah). */
    static final Path HOOKS = Path.of(System.getProperty("vmgrid.blah.hooks", "../blah")).toAbsolutePath();
    /** The hooks' helper as the build made it. */
    static final Path CLIENT = Path.of(System.getProperty("vmgrid.blah.client", "target/vmgrid-hook-client"))
            .toAbsolutePath();

    private final Path dir;
    private final Path libexec;
    private final HookSocketServer server;
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private int runs;

    /** A harness in {@code dir} whose service admits {@link FixedCatalog}'s images for every VO. */
    static BlahHookHarness withoutVoPolicy(Path dir, String... images) throws IOException {
        return new BlahHookHarness(Files.createDirectories(dir),
                TestRenderers.admission(new FixedCatalog(images), LIMITS));
    }

    public BlahHookHarness(Path dir, HookAdmission admission) throws IOException {
        this.dir = dir;
        this.server = new HookSocketServer(dir.resolve("run/blah-hook.sock"), admission);
        this.libexec = installHooks(Files.createDirectories(dir.resolve("blah-libexec")), server.socket(), CLIENT);
    }

    /** Installs every hook into {@code libexec} with the given socket and helper, as a site would. */
    public static Path installHooks(Path libexec, Path socket, Path client) {
        HookInstaller.install(HOOKS, libexec, List.of(Lrms.values()), socket, client);
        return libexec;
    }

    public Path socket() {
        return server.socket();
    }

    public Path libexec() {
        return libexec;
    }

    /**
     * A request file as BLAH writes it: {@code Name='value'} lines, then array elements
     * {@code Name[i]='value'}, the values as given minus their single quotes (BLAH deletes them).
     */
    public static String requestFile(Map<String, String> scalars, Map<String, List<String>> arrays) {
        StringBuilder sb = new StringBuilder();
        scalars.forEach((k, v) -> sb.append(k).append("='").append(v.replace("'", "")).append("'\n"));
        arrays.forEach((k, vs) -> {
            for (int i = 0; i < vs.size(); i++) {
                sb.append(k).append('[').append(i).append("]='").append(vs.get(i).replace("'", "")).append("'\n");
            }
        });
        return sb.toString();
    }

    /** A string as ClassAd prints it (BLAH's unwinder keeps these quotes): double-quoted, escapes for \\, ", newlines. */
    public static String classAdString(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\t", "\\t") + "\"";
    }

    /**
     * A VM request as BLAH's unwinder writes the CERequirements the CE module writes: the ClassAd
     * strings keep their double quotes, integers are bare.
     */
    public static String vmRequest(String uuid, int memory, int cpus, String network) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("VmgridMemory", String.valueOf(memory));
        s.put("VmgridCPUs", String.valueOf(cpus));
        s.put("VmgridNetwork", "\"" + network + "\"");
        return requestFile(Map.of(), Map.of("GlueHostApplicationSoftwareRunTimeEnvironment",
                List.of("\"VM-IMAGE-" + uuid + "\""))) + requestFile(s, Map.of());
    }

    /** BLAH's request file for a user of {@code vo}: what blah_pass_submit_attributes passes, in BLAH's forms. */
    public static String passedIdentity(String vo) {
        return "VirtualOrganisation='" + vo + "'\nx509UserProxyFQAN='\"userFQAN=/" + vo
                + "/Role=NULL/Capability=NULL\"'\n";
    }

    /** Runs the hook of one batch system after a request file, as {@code blah} does, with the hooks of this harness. */
    public HookRun run(Blah blah, Lrms lrms, String requestFile) throws IOException {
        return run(blah, lrms, requestFile, libexec);
    }

    /** As {@link #run(Blah, Lrms, String)} with the hooks installed in {@code hooks}. */
    public HookRun run(Blah blah, Lrms lrms, String requestFile, Path hooks) throws IOException {
        Path work = Files.createDirectories(dir.resolve("submit-" + (++runs)));
        Path script = work.resolve("ce-req-file-" + runs + "-temp_req_script");
        Files.writeString(script, blah.shebang + "\n" + requestFile + blah.source + " "
                + hooks.resolve(HookInstaller.fileName(lrms)) + "\n", StandardCharsets.UTF_8);
        List<String> argv = new java.util.ArrayList<>(blah.shell);
        argv.add(script.toString());
        // BLAH's own environment: the CE's, nothing of vmgrid
        CommandResult r = runner.run(Command.of(Duration.ofSeconds(60), argv).in(work)
                .withEnv(Map.of("PATH", "/usr/bin:/bin", "HOME", work.toString())));
        return new HookRun(blah, r.exitCode(), r.stdoutText(), r.stderrText());
    }

    /**
     * The submit script BLAH's slurm_submit.sh makes around the hook's lines: prelz BLAH puts them
     * before its own directives, HTCondor's blahp after.
     */
    public static String slurmSubmitScript(Blah blah, String name, String hookOutput) {
        String own = "#SBATCH -J " + name + "\n#SBATCH -o /dev/null\n#SBATCH -e /dev/null\n";
        return "#!/bin/bash\n# submit script as BLAH writes it\n" + (blah == Blah.HTCONDOR_BLAHP ? own + hookOutput
                : hookOutput + own) + "\n# job wrapper\ntrue\n";
    }

    /**
     * The whole submit script BLAH's {@code slurm_submit.sh} makes for a CREAM job: its preamble
     * ({@code -o}/{@code -e} to the site's {@code slurm_std_storage}), the hook's lines (before or
     * after BLAH's own {@code -p}/{@code -n}, as {@code blah} does), then the job wrapper's body as
     * {@code blah_common_submit_functions.sh} writes it: a temporary home {@code home_<name>} made in
     * the job's working directory and removed at the end, the job wrapper copied there from the
     * CE's shared sandbox, {@code HOME} set to it, the wrapper run in the background with its one
     * argument and waited for, its exit code the script's.
     *
     * @param stdStorage where the batch job's stdout and stderr go ({@code /dev/null} unless the site sets it)
     * @param jobWrapper CREAM's job wrapper on a directory BLAH shares with the worker node
     * @param wrapperArgument the wrapper's one argument (CREAM's sequence code)
     */
    public static String slurmSubmitScript(Blah blah, String name, String hookOutput, String stdStorage, Path jobWrapper,
            String wrapperArgument) {
        String own = "#SBATCH -p grid\n#SBATCH -n 1\n";
        String home = "home_" + name;
        String wrapper = jobWrapper.getFileName().toString();
        return "#!/bin/bash\n# SLURM job wrapper as BLAH's slurm_submit.sh writes it\n#\n# Start of SLURM directives:\n"
                + "#SBATCH -o " + stdStorage + "\n#SBATCH -e " + stdStorage + "\n"
                + (blah == Blah.HTCONDOR_BLAHP ? own + hookOutput : hookOutput + own)
                + "old_home=`pwd`\nnew_home=${old_home}/" + home + "\nmkdir $new_home\n"
                + "trap 'wait $job_pid; cd $old_home; rm -rf $new_home; exit 255' 1 2 3 15 24\n"
                + "trap 'wait $job_pid; cd $old_home; rm -rf $new_home' 0\n"
                + "# Copy into new home any shared input sandbox file\n"
                + "cp \"" + jobWrapper + "\" \"$new_home/" + wrapper + "\" &> /dev/null\n"
                + "export HOME=$new_home\ncd $new_home\n\n# Command to execute:\n"
                + "$new_home/" + wrapper + " \"" + wrapperArgument + "\" &\njob_pid=$!\n\n"
                + "# Wait for the user job to finish\nwait $job_pid\nuser_retcode=$?\ncd $old_home\n\nexit $user_retcode\n";
    }

    @Override
    public void close() {
        server.close();
    }
}
