package org.vmgrid.appliance.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.vmgrid.appliance.ApplianceBuildException;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandRunner;

/**
 * Makes the BIOS-bootable disk from a kernel and an initramfs, as an unprivileged user on plain
 * files (no loop device, no mount): a FAT partition made with {@code mkfs.vfat --invariant} and
 * filled with mtools, syslinux installed into it, a DOS partition table written by sfdisk, the
 * syslinux MBR, and {@code qemu-img convert} to qcow2. Every tool sees {@code SOURCE_DATE_EPOCH},
 * and every file copied in carries that time, so the same inputs give the same bytes.
 */
final class DiskImageMaker {

    /**
     * The kernel command line: quiet boot, console on ttyS0, power off (not hang) on panic, and no
     * check that the timer interrupt ticks in step with real time (a check that a busy host's
     * software emulation can fail: then the kernel panics, "IO-APIC + timer doesn't work!"). Twenty
     * guests booting four at a time on a loaded 2-core host saw one panic at 0.08 s, where that check
     * runs; libguestfs's appliance boots with the same option for the same reason.
     */
    static final String KERNEL_ARGS = "console=ttyS0 quiet loglevel=3 panic=-1 no_timer_check rdinit=/init";
    static final String SYSLINUX_CFG = "DEFAULT vmgrid\nPROMPT 0\nTIMEOUT 0\nLABEL vmgrid\n  KERNEL /vmlinuz\n"
            + "  INITRD /initrd.img\n  APPEND " + KERNEL_ARGS + "\n";
    /** Also the FAT volume serial and the MBR disk identifier: fixed, so no randomness gets in. */
    static final String VOLUME_ID = "766d6772";
    static final long MIB = 1024 * 1024;
    private static final Path MBR_BIN = Path.of("/usr/lib/syslinux/mbr/mbr.bin");

    private final CommandRunner runner;
    private final Instant sourceDate;
    private final Duration timeout;
    private final Path mbrBin;

    DiskImageMaker(CommandRunner runner, Instant sourceDate, Duration timeout) {
        this(runner, sourceDate, timeout, MBR_BIN);
    }

    DiskImageMaker(CommandRunner runner, Instant sourceDate, Duration timeout, Path mbrBin) {
        this.runner = runner;
        this.sourceDate = sourceDate;
        this.timeout = timeout;
        this.mbrBin = mbrBin;
    }

    /** Writes {@code qcow2} from the kernel and initramfs, using {@code work} for scratch files. */
    void make(Path kernel, Path initramfs, Path work, Path qcow2) {
        try {
            Path vmlinuz = Files.copy(kernel, work.resolve("vmlinuz"), StandardCopyOption.REPLACE_EXISTING);
            Path initrd = Files.copy(initramfs, work.resolve("initrd.img"), StandardCopyOption.REPLACE_EXISTING);
            Path cfg = Files.writeString(work.resolve("syslinux.cfg"), SYSLINUX_CFG, StandardCharsets.US_ASCII);
            Path mtoolsrc = Files.writeString(work.resolve("mtoolsrc"), "MTOOLS_SKIP_CHECK=1\n");
            for (Path p : new Path[] {vmlinuz, initrd, cfg}) {
                Files.setLastModifiedTime(p, FileTime.from(sourceDate));
            }
            long content = Files.size(vmlinuz) + Files.size(initrd) + Files.size(cfg);
            long partitionSize = partitionSize(content);

            Path part = sized(work.resolve("partition.img"), partitionSize);
            run(Command.of(timeout, "mkfs.vfat", "--invariant", "-i", VOLUME_ID, "-n", "VMGRID", part.toString()));
            run(Command.of(timeout, "mcopy", "-m", "-i", part.toString(), vmlinuz.toString(), initrd.toString(),
                    cfg.toString(), "::/").withEnv(Map.of("MTOOLSRC", mtoolsrc.toString())));
            run(Command.of(timeout, "syslinux", "--install", part.toString()));

            Path disk = sized(work.resolve("disk.raw"), MIB + partitionSize);
            run(Command.of(timeout, "sfdisk", "--no-reread", "--no-tell-kernel", "--quiet", disk.toString())
                    .withStdin(("label: dos\nlabel-id: 0x" + VOLUME_ID + "\nstart=2048, type=c, bootable\n")
                            .getBytes(StandardCharsets.US_ASCII)));
            byte[] mbr = Files.readAllBytes(mbrBin);
            if (mbr.length < 440) {
                throw new ApplianceBuildException(mbrBin + " is " + mbr.length
                        + " bytes, not a syslinux MBR (440); reinstall the syslinux-common package");
            }
            try (RandomAccessFile raw = new RandomAccessFile(disk.toFile(), "rw")) {
                raw.seek(0);
                raw.write(mbr, 0, 440);
                raw.seek(MIB);
                raw.write(Files.readAllBytes(part));
            }
            Path partial = qcow2.resolveSibling(qcow2.getFileName() + ".partial");
            try {
                run(Command.of(timeout, "qemu-img", "convert", "-f", "raw", "-O", "qcow2", disk.toString(),
                        partial.toString()));
                Files.move(partial, qcow2, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw new ApplianceBuildException("cannot write the appliance disk " + qcow2 + " (scratch in " + work
                    + "): " + e, e);
        }
    }

    /** The FAT partition's size: the content plus a quarter for the file system and syslinux, whole MiB, 16 MiB at least. */
    static long partitionSize(long contentBytes) {
        long wanted = contentBytes + contentBytes / 4 + 2 * MIB;
        return Math.max(16 * MIB, (wanted + MIB - 1) / MIB * MIB);
    }

    private void run(Command c) {
        Map<String, String> env = new HashMap<>(c.environment());
        env.put("SOURCE_DATE_EPOCH", Long.toString(sourceDate.getEpochSecond()));
        env.put("TZ", "UTC");
        runner.runChecked(c.withEnv(env));
    }

    private static Path sized(Path file, long size) throws IOException {
        Files.deleteIfExists(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }
}
