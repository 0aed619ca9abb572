package org.vmgrid.batchhooks.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.vmgrid.appliance.ApplianceBuilder;
import org.vmgrid.appliance.ApplianceSettings;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.testing.PrivateLibvirt;
import org.vmgrid.testing.TestSite;
import org.vmgrid.testing.Unprivileged;

/**
 * A worker node's VM side for the batch-system ITs: the project's test appliance, a private system
 * libvirtd, a site configuration trusting the appliance, a {@code vmgrid} launcher of this JVM's
 * class path, and the resident pilot service ({@link PilotServiceDriver}, as {@code vmgrid serve}
 * runs it) started as the service's account ({@link Unprivileged#USER}) on {@link #serviceSocket}.
 * Jobs run as the grid pool account ({@link Unprivileged#POOL}) in its own job directories. Everything
 * lives under one temporary directory; {@link #close} stops the service and libvirtd by PID and
 * removes the directory.
 */
final class VmWorkerNode implements AutoCloseable {

    private static final ProcessCommandRunner RUN = new ProcessCommandRunner();
    /** The unix socket services read their clients' ids through the JDK's socket internals. */
    private static final String ADD_EXPORTS = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";

    final Path shared;
    final BuiltAppliance appliance;
    final PrivateLibvirt libvirt;
    final TestSite site;
    /** The {@code vmgrid} launcher (a script exec'ing this JVM's java on the site's configuration). */
    final Path launcher;
    final Path serviceSocket;
    final Path serviceLog;
    private final String javaCommand;
    private final String classPath;
    private Process service;

    private VmWorkerNode(Path shared, BuiltAppliance appliance, PrivateLibvirt libvirt, TestSite site, Path launcher,
            Path serviceSocket, String javaCommand, String classPath) {
        this.shared = shared;
        this.appliance = appliance;
        this.libvirt = libvirt;
        this.site = site;
        this.launcher = launcher;
        this.serviceSocket = serviceSocket;
        this.serviceLog = shared.resolve("pilot-service.log");
        this.javaCommand = javaCommand;
        this.classPath = classPath;
    }

    /** Builds the appliance and starts libvirtd; the pilot service is started by {@link #startPilotService}. */
    static VmWorkerNode start(String prefix) throws Exception {
        Path shared = Unprivileged.newDirectory(prefix);
        PrivateLibvirt libvirt = null;
        try {
            ApplianceSettings settings = ApplianceSettings.defaults(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH)
                    .withDebCache(Path.of(System.getProperty("vmgrid.deb.cache")));
            BuiltAppliance appliance = new ApplianceBuilder(RUN, settings).build(shared.resolve("appliance"));
            libvirt = PrivateLibvirt.start(Unprivileged.GROUP);
            TestSite site = new TestSite(Files.createDirectories(shared.resolve("site")), libvirt.uri, 300,
                    appliance.image().toUri(), appliance.uuid().toString(), appliance.size(), appliance.sha512());
            Path socket = Files.createDirectories(shared.resolve("pilot-service")).resolve("pilot.sock");
            Files.writeString(site.conf.resolve("pilot.properties"), "service.socket = " + socket + "\n",
                    StandardOpenOption.APPEND);
            String java = ProcessHandle.current().info().command().orElse("java");
            String cp = Unprivileged.readableClassPath(Files.createDirectories(shared.resolve("classpath")));
            Path launcher = shared.resolve("vmgrid");
            Files.writeString(launcher, "#!/bin/sh\nVMGRID_CONF_DIR='" + site.conf + "' exec '" + java
                    + "' -XX:-UsePerfData " + ADD_EXPORTS + " -cp '" + cp + "' org.vmgrid.cli.Main \"$@\"\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
            Unprivileged.own(shared);
            return new VmWorkerNode(shared, appliance, libvirt, site, launcher, socket, java, cp);
        } catch (Exception | AssertionError e) {
            if (libvirt != null) {
                libvirt.close();
            }
            Unprivileged.deleteTree(shared);
            throw e;
        }
    }

    /** A job directory of the pool account (mode 0700), as a batch system makes it: jobs run as that account. */
    Path poolWork(String name) throws IOException {
        return Unprivileged.poolJobDirectory(shared, name);
    }

    /**
     * Starts {@link PilotServiceDriver} on the site's configuration as the unprivileged user
     * (stderr, its log, to {@link #serviceLog}) and waits, bounded, until it listens.
     */
    void startPilotService() throws Exception {
        List<String> argv = new ArrayList<>(Unprivileged.as(shared));
        argv.addAll(List.of(javaCommand, "-XX:-UsePerfData", "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp",
                classPath, PilotServiceDriver.class.getName(), site.conf.toString()));
        Process p = new ProcessBuilder(argv).directory(shared.toFile()).redirectError(serviceLog.toFile()).start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = ready.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            line = null;
        }
        service = p;
        if (!(PilotServiceDriver.READY + serviceSocket).equals(line)) {
            stopPilotService();
            throw new AssertionError("the pilot service did not start: " + line + serviceLog());
        }
        assertEquals(Unprivileged.USER, p.info().user().orElse("?"), "the service runs as the unprivileged user");
    }

    /** SIGTERM to the service's PID, bounded wait; answers its exit code (-1 if none ran). */
    int stopPilotService() throws InterruptedException {
        Process p = service;
        if (p == null) {
            return -1;
        }
        if (p.isAlive()) {
            p.toHandle().destroy(); // SIGTERM only: Process.destroy() would also close its stdin
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        return p.isAlive() ? -1 : p.exitValue();
    }

    /** The service's log and the console logs the pilot kept of failed boots, for assertion messages. */
    String serviceLog() {
        StringBuilder b = new StringBuilder();
        try {
            b.append("\npilot service log:\n").append(Files.readString(serviceLog));
        } catch (IOException e) {
            b.append("\n(no pilot service log: ").append(e.getMessage()).append(")");
        }
        Path consoles = site.state.resolve(".console");
        if (Files.isDirectory(consoles)) {
            try (Stream<Path> s = Files.list(consoles)) {
                for (Path c : s.toList()) {
                    b.append("\nconsole log ").append(c).append(":\n").append(Files.readString(c));
                }
            } catch (IOException e) {
                b.append("\n(console logs unreadable: ").append(e.getMessage()).append(")");
            }
        }
        return b.toString();
    }

    /** Where the service's log ends now: {@link #awaitServiceLog} looks at what comes after. */
    int serviceLogMark() throws IOException {
        return Files.exists(serviceLog) ? Files.readString(serviceLog).length() : 0;
    }

    /** Waits, bounded, until the service's log has, after {@code mark}, a line that {@code line} finds. */
    void awaitServiceLog(int mark, Pattern line, Duration limit) throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            String all = Files.exists(serviceLog) ? Files.readString(serviceLog) : "";
            String text = all.substring(Math.min(mark, all.length()));
            if (text.lines().anyMatch(l -> line.matcher(l).find())) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the pilot service's log has no line like " + line + " after " + limit + ":\n"
                        + text);
            }
            Thread.sleep(100);
        }
    }

    /**
     * What the pilot left of its jobs in the site's state directory: every entry but its slot
     * locks ({@code .slots}); a job's directory (overlay, ISOs, channels) is there while it runs.
     */
    List<String> stateLeft() throws IOException {
        if (!Files.isDirectory(site.state)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(site.state)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".slots")).sorted().toList();
        }
    }

    /**
     * Live processes whose argument vector, its elements joined by spaces, {@code test} accepts
     * (read from {@code /proc/<pid>/cmdline}, which root can read for every user's processes).
     */
    static List<ProcessHandle> processesWhoseArgv(java.util.function.Predicate<String> test) {
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(d -> d.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String argv = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (test.test(argv)) {
                        ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(found::add);
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }

    static String hostKernel() {
        return RUN.runChecked(Command.of(Duration.ofSeconds(5), "uname", "-r")).stdoutText().strip();
    }

    @Override
    public void close() throws Exception {
        try {
            int code = stopPilotService();
            assertTrue(code == -1 || code == 143, "the pilot service stopped on SIGTERM (exit " + code + ")" + serviceLog());
        } finally {
            try {
                libvirt.close();
            } finally {
                Unprivileged.deleteTree(shared);
            }
        }
    }
}
