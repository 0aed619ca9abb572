package org.vmgrid.blahservice;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
 * BLAH's hook contract, reproduced: a vmgrid installation (VMGRID_HOME) holding the hooks'
 * common body, the hooks in a BLAH libexec directory, the hook service on a unix socket, and
 * {@link #run} doing what BLAH does per submission: write the request file of shell assignments,
 * make a temporary {@code #!/bin/sh} script of it plus {@code . <libexec>/<lrms>_local_submit_attributes.sh},
 * run it with bash, and take its stdout for the submit script.
 */
public final class BlahHookHarness implements AutoCloseable {

    /** What one hook run printed. */
    public record HookRun(int exitCode, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }
    }

    private final Path dir;
    private final Path home;
    private final Path libexec;
    private final HookSocketServer server;
    private final ProcessCommandRunner runner = new ProcessCommandRunner();
    private int runs;

    /** The limits the hook tests admit against: up to 4096 MiB, 4 CPUs, outbound network allowed. */
    static final LimitsSection LIMITS = new LimitsSection(2048, 4096, 1, 4, NetworkMode.OUTBOUND, 16384, 256);

    /** A harness in {@code dir} whose service admits {@link FixedCatalog}'s image for every VO. */
    static BlahHookHarness withoutVoPolicy(Path dir) throws IOException {
        return new BlahHookHarness(Files.createDirectories(dir),
                new HookAdmission(new FixedCatalog(), LIMITS, TestRenderers.directiveEncoder()));
    }

    public BlahHookHarness(Path dir, HookAdmission admission) throws IOException {
        this.dir = dir;
        Path hooks = Path.of(System.getProperty("vmgrid.blah.hooks", "../blah")).toAbsolutePath();
        this.home = Files.createDirectories(dir.resolve("vmgrid-home"));
        this.libexec = Files.createDirectories(dir.resolve("blah-libexec"));
        Files.createDirectories(home.resolve("blah"));
        Files.copy(hooks.resolve("vmgrid-hook-common.sh"), home.resolve("blah/vmgrid-hook-common.sh"));
        for (Lrms l : Lrms.values()) {
            String name = l.keyword() + "_local_submit_attributes.sh";
            Files.copy(hooks.resolve(name), libexec.resolve(name));
        }
        this.server = new HookSocketServer(dir.resolve("run/blah-hook.sock"), admission);
    }

    public Path socket() {
        return server.socket();
    }

    public Path home() {
        return home;
    }

    /** A request file as BLAH writes it: {@code Name='value'} lines, then array elements {@code Name[i]='value'}. */
    public static String requestFile(Map<String, String> scalars, Map<String, List<String>> arrays) {
        StringBuilder sb = new StringBuilder();
        scalars.forEach((k, v) -> sb.append(k).append('=').append(singleQuoted(v)).append('\n'));
        arrays.forEach((k, vs) -> {
            for (int i = 0; i < vs.size(); i++) {
                sb.append(k).append('[').append(i).append("]=").append(singleQuoted(vs.get(i))).append('\n');
            }
        });
        return sb.toString();
    }

    public static String singleQuoted(String v) {
        return "'" + v.replace("'", "'\\''") + "'";
    }

    /** A VM request as BLAH unwinds the CERequirements the CREAM module writes. */
    public static String vmRequest(String uuid, int memory, int cpus, String network) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("VmgridMemory", String.valueOf(memory));
        s.put("VmgridCPUs", String.valueOf(cpus));
        s.put("VmgridNetwork", network);
        return requestFile(s, Map.of("GlueHostApplicationSoftwareRunTimeEnvironment", List.of("VM-IMAGE-" + uuid)));
    }

    /** Runs the hook of one batch system after a request file, as BLAH does, with the CE's environment. */
    public HookRun run(Lrms lrms, String requestFile) throws IOException {
        return run(lrms, requestFile, Map.of());
    }

    public HookRun run(Lrms lrms, String requestFile, Map<String, String> extraEnv) throws IOException {
        Path script = dir.resolve("submit-attributes-" + (++runs) + ".sh");
        Files.writeString(script, "#!/bin/sh\n" + requestFile + "\n. " + libexec.resolve(lrms.keyword()
                + "_local_submit_attributes.sh") + "\n", StandardCharsets.UTF_8);
        Map<String, String> env = new HashMap<>();
        env.put("VMGRID_HOME", home.toString());
        env.put("VMGRID_HOOK_SOCKET", server.socket().toString());
        env.putAll(extraEnv);
        CommandResult r = runner.run(Command.of(Duration.ofSeconds(30), "/bin/bash", script.toString())
                .in(dir).withEnv(env));
        return new HookRun(r.exitCode(), r.stdoutText(), r.stderrText());
    }

    @Override
    public void close() {
        server.close();
    }
}
