package org.vmgrid.batchhooks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmgrid.testing.Unprivileged;

/**
 * One recorded job start of a batch system (a file under {@code src/test/resources/recorded-jobs},
 * whose README says the format): laid out in a private directory and started exactly so, as a grid
 * pool account ({@link Unprivileged#POOL}), through the site's wrapper or, for comparison, as the batch system would have
 * started it without one.
 */
public final class RecordedJob {

    /** The parts of a VM request, as text, so that a test can make them malformed. */
    public record Request(String image, String memory, String cpus, String network) {
    }

    /** What a started job did. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr;
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z]+)\\}");

    private final String name;
    private final List<String> lines;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> extraAd = new ArrayList<>();
    private boolean asRoot;
    private String stdinPipe;
    private boolean unreadableJobAd;

    private RecordedJob(String name, List<String> lines) {
        this.name = name;
        this.lines = lines;
        values.put("JOBID", "4242");
        values.put("USER", Unprivileged.POOL);
        values.put("SHELL", "/bin/sh");
        values.put("EXECUTABLE", "job.sh");
        values.put("HOST", "wn01.example.org");
    }

    /** The recording {@code recorded-jobs/<name>} of the test resources. */
    public static RecordedJob load(String name) {
        try (InputStream in = RecordedJob.class.getResourceAsStream("/recorded-jobs/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no recording " + name);
            }
            return new RecordedJob(name, new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another value for a placeholder ({@code JOBID}, {@code SHELL}, ...). */
    public RecordedJob with(String placeholder, String value) {
        values.put(placeholder, value);
        return this;
    }

    /** Another line for the job ad, as the batch system would write it. */
    public RecordedJob withAdLine(String line) {
        extraAd.add(line);
        return this;
    }

    /** Starts it as root, as a batch system configured to run its starter privileged would. */
    public RecordedJob asRoot() {
        asRoot = true;
        return this;
    }

    /** Another text on the standard input pipe than the recording's (placeholders expanded). */
    public RecordedJob withStdinPipe(String text) {
        stdinPipe = text;
        return this;
    }

    /** The job ad written but unreadable to the job's user. */
    public RecordedJob withUnreadableJobAd() {
        unreadableJobAd = true;
        return this;
    }

    /** Where the job's files go under {@code dir}: its scratch directory. */
    public static Path scratch(Path dir) {
        return dir.resolve("execute/dir_4242");
    }

    /** The job user's home under {@code dir}. */
    public static Path home(Path dir) {
        return dir.resolve("home");
    }

    /**
     * Lays the recording out under {@code dir} (which must be empty, and reachable by the
     * unprivileged user) and starts it.
     *
     * @param wrapper the site's wrapper as the batch system executes it, or null to start the job
     *     as the batch system would without one (the argument vector without its first element)
     * @param script the job's batch script (or executable)
     * @param args the job's own arguments, where the recording has {@code ${ARGS}}
     * @param request the VM request, or null for a plain job
     */
    public Result run(Path dir, Path wrapper, String script, List<String> args, Request request, Duration limit)
            throws IOException, InterruptedException {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put("WRAPPER", wrapper == null ? "" : wrapper.toString());
        v.put("SPOOL", dir.resolve("spool").toString());
        v.put("HOME", home(dir).toString());
        v.put("SCRATCH", scratch(dir).toString());
        List<String> argv = new ArrayList<>();
        List<String> env = new ArrayList<>();
        List<String> ad = new ArrayList<>(extraAd);
        Path cwd = null;
        String stdinMode = null;
        String stdinText = null;
        String requestPlace = null;
        List<Path> userDirs = new ArrayList<>(List.of(home(dir), scratch(dir)));
        for (String raw : lines) {
            if (raw.isBlank() || raw.startsWith("#")) {
                continue;
            }
            String[] kv = raw.split(" ", 2);
            String rest = kv.length > 1 ? kv[1] : "";
            switch (kv[0]) {
                case "argv" -> {
                    if (rest.equals("${ARGS}")) {
                        argv.addAll(args);
                    } else {
                        argv.add(expand(rest, v));
                    }
                }
                case "cwd" -> cwd = Path.of(expand(rest, v));
                case "stdin" -> {
                    String[] s = rest.split(" ", 2);
                    stdinMode = s[0];
                    stdinText = s.length > 1 ? expand(s[1], v).replace("\\n", "\n") : null;
                    if (stdinPipe != null && stdinMode.equals("pipe")) {
                        stdinText = expand(stdinPipe, v);
                    }
                }
                case "env" -> env.add(expand(rest, v));
                case "dir" -> {
                    String[] s = rest.split(" ");
                    Path d = Files.createDirectories(Path.of(expand(s[0], v)));
                    Files.setPosixFilePermissions(d, permissions(s[1]));
                    if (d.startsWith(home(dir))) {
                        userDirs.add(d);
                    }
                }
                case "file" -> {
                    String[] s = rest.split(" ");
                    Path f = Path.of(expand(s[0], v));
                    Files.createDirectories(f.getParent());
                    Files.writeString(f, switch (s[2]) {
                        case "script" -> script;
                        case "jobad" -> "";
                        default -> throw new IllegalStateException(name + ": unknown file kind " + s[2]);
                    });
                    if (s[2].equals("jobad")) {
                        v.put("JOBAD", f.toString());
                    }
                    Files.setPosixFilePermissions(f, permissions(s[1]));
                    own(f);
                }
                case "request" -> requestPlace = rest;
                case "ad" -> ad.add(expand(rest, v));
                default -> throw new IllegalStateException(name + ": unknown directive " + raw);
            }
        }
        if (request != null) {
            if ("env".equals(requestPlace)) {
                env.add("VMGRID_IMAGE=" + request.image());
                env.add("VMGRID_MEMORY=" + request.memory());
                env.add("VMGRID_CPUS=" + request.cpus());
                env.add("VMGRID_NETWORK=" + request.network());
            } else if ("jobad".equals(requestPlace)) {
                ad.add("VmgridImage = \"" + request.image() + "\"");
                ad.add("VmgridMemory = " + request.memory());
                ad.add("VmgridCPUs = " + request.cpus());
                ad.add("VmgridNetwork = \"" + request.network() + "\"");
            } else {
                throw new IllegalStateException(name + " says nowhere where the request goes");
            }
        }
        if (v.containsKey("JOBAD")) {
            ad.sort(Comparator.naturalOrder()); // fPrintAd sorts the attributes by name
            Files.writeString(Path.of(v.get("JOBAD")), ad.stream().map(l -> l + "\n").reduce("", String::concat));
            if (unreadableJobAd) {
                Files.setPosixFilePermissions(Path.of(v.get("JOBAD")), PosixFilePermissions.fromString("---------"));
            }
        }
        if (cwd == null || stdinMode == null) {
            throw new IllegalStateException(name + " lacks a cwd or stdin directive");
        }
        Files.createDirectories(cwd);
        if (cwd.startsWith(home(dir))) {
            userDirs.add(cwd);
        }
        for (Path d : userDirs) {
            if (Files.isDirectory(d)) {
                own(d);
            }
        }
        if (wrapper == null) {
            argv.remove(0);
        }
        List<String> command = new ArrayList<>();
        if (!asRoot) {
            command.addAll(List.of("setpriv", "--reuid=" + Unprivileged.POOL, "--regid=" + Unprivileged.POOL_GROUP,
                    "--clear-groups"));
        }
        command.addAll(List.of("env", "-i"));
        command.addAll(env);
        command.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        switch (stdinMode) {
            case "null" -> pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            case "file" -> pb.redirectInput(ProcessBuilder.Redirect.from(Path.of(stdinText).toFile()));
            case "pipe" -> pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            default -> throw new IllegalStateException(name + ": unknown stdin " + stdinMode);
        }
        Process p = pb.start();
        if (stdinMode.equals("pipe")) {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdinText.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the job did not read its standard input
            }
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(name + ": the job did not end within " + limit);
        }
        try {
            return new Result(p.exitValue(), new String(out.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                    new String(err.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(name + ": its output could not be read", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private String expand(String text, Map<String, String> v) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String value = v.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException(name + ": unknown placeholder " + m.group());
            }
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        return m.appendTail(b).toString();
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(String octal) {
        int mode = Integer.parseInt(octal, 8);
        StringBuilder s = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(s.toString());
    }

    private static void own(Path p) throws IOException {
        var users = p.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(p, users.lookupPrincipalByName(Unprivileged.POOL));
        Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(users.lookupPrincipalByGroupName(Unprivileged.POOL_GROUP));
    }
}
