package org.vmgrid.appliance;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.ProcessCommandRunner;

/**
 * Test fixture: boots the appliance with plain {@code qemu-system-x86_64} under TCG, no network
 * (or QEMU user networking when asked),
 * the way guest contract v1 describes the devices (overlay disk, context ISO, 9p job directory,
 * three virtio-serial ports backed by files). Every boot is bounded; QEMU is killed by its PID
 * when the bound passes or the test fails.
 */
final class PlainQemu {

    /** What came back from one boot. */
    record GuestRun(int qemuExit, String stdout, String stderr, String status, String console) {
    }

    static final Duration BOOT_BOUND = Duration.ofMinutes(4);

    private PlainQemu() {
    }

    static GuestRun boot(Path image, Path contextIso, Path jobDir, Path scratch) throws IOException, InterruptedException {
        return boot(image, contextIso, jobDir, scratch, false);
    }

    static GuestRun boot(Path image, Path contextIso, Path jobDir, Path scratch, boolean userNetwork)
            throws IOException, InterruptedException {
        return boot(image, Optional.of(contextIso), jobDir, scratch, userNetwork);
    }

    /** A boot with no context disk at all when {@code contextIso} is empty. */
    static GuestRun boot(Path image, Optional<Path> contextIso, Path jobDir, Path scratch, boolean userNetwork)
            throws IOException, InterruptedException {
        return boot(image, contextIso, jobDir, scratch, userNetwork, Optional.empty());
    }

    /**
     * A guest contract 2 boot: no context disk, the job port {@code org.vmgrid.job} (a pipe
     * chardev, declared before the other ports) and, once the guest says {@code ready} on its status
     * port, {@code job} written to it.
     */
    static GuestRun bootWithJobPort(Path image, Path jobDir, Path scratch, byte[] job)
            throws IOException, InterruptedException {
        return boot(image, Optional.empty(), jobDir, scratch, false, Optional.of(job));
    }

    private static GuestRun boot(Path image, Optional<Path> contextIso, Path jobDir, Path scratch, boolean userNetwork,
            Optional<byte[]> job) throws IOException, InterruptedException {
        Path overlay = scratch.resolve("overlay.qcow2");
        new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(30), "qemu-img", "create", "-q", "-f", "qcow2",
                "-b", image.toString(), "-F", "qcow2", overlay.toString()));
        List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", "accel=tcg", "-m", "128",
                "-nographic", "-no-reboot", "-nodefaults",
                "-serial", "file:" + scratch.resolve("console.log"),
                "-drive", "file=" + overlay + ",if=virtio,format=qcow2",
                "-virtfs", "local,path=" + jobDir + ",mount_tag=jobdir,security_model=none",
                "-device", "virtio-serial"));
        contextIso.ifPresent(iso -> argv.addAll(List.of("-drive", "file=" + iso + ",if=virtio,format=raw,readonly=on")));
        argv.addAll(userNetwork ? List.of("-netdev", "user,id=net0", "-device", "virtio-net-pci,netdev=net0,romfile=")
                : List.of("-net", "none"));
        if (job.isPresent()) {
            for (String end : List.of("in", "out")) {
                new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(30), "mkfifo", "-m", "0600",
                        scratch.resolve("job." + end).toString()));
            }
            argv.addAll(List.of("-chardev", "pipe,id=job,path=" + scratch.resolve("job"),
                    "-device", "virtserialport,chardev=job,name=org.vmgrid.job"));
        }
        for (String port : List.of("stdout", "stderr", "status")) {
            argv.addAll(List.of("-chardev", "file,id=" + port + ",path=" + scratch.resolve(port),
                    "-device", "virtserialport,chardev=" + port + ",name=org.vmgrid." + port));
        }
        Process qemu = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(scratch.resolve("qemu.log").toFile()).start();
        try {
            if (job.isPresent()) {
                sendWhenReady(qemu, scratch, job.get());
            }
            if (!qemu.waitFor(BOOT_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                fail("the guest did not power off within " + BOOT_BOUND + "; console:\n" + read(scratch.resolve("console.log")));
            }
            return new GuestRun(qemu.exitValue(), read(scratch.resolve("stdout")), read(scratch.resolve("stderr")),
                    read(scratch.resolve("status")), read(scratch.resolve("console.log")) + read(scratch.resolve("qemu.log")));
        } finally {
            if (qemu.isAlive()) {
                qemu.destroyForcibly();
                qemu.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits (bounded) for the guest's 'ready', then writes the job into the job port's input pipe. */
    private static void sendWhenReady(Process qemu, Path scratch, byte[] job) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOOT_BOUND.toNanos();
        while (!read(scratch.resolve("status")).startsWith("ready\n")) {
            if (!qemu.isAlive() || System.nanoTime() > deadline) {
                fail("the guest did not say ready; status: " + read(scratch.resolve("status")) + "; console:\n"
                        + read(scratch.resolve("console.log")));
            }
            Thread.sleep(100);
        }
        try (var to = Files.newOutputStream(scratch.resolve("job.in"))) {
            to.write(job);
        }
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }
}
