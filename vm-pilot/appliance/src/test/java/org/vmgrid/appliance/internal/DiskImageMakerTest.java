package org.vmgrid.appliance.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandFailedException;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.CommandRunner;

class DiskImageMakerTest {

    @TempDir
    Path dir;

    private final CommandRunner runner = mock(CommandRunner.class);
    private final List<Command> ran = new ArrayList<>();
    private Path mbr;
    private Path kernel;
    private Path initrd;

    @BeforeEach
    void setUp() throws Exception {
        byte[] mbrBytes = new byte[440];
        Arrays.fill(mbrBytes, (byte) 0x5a);
        mbr = Files.write(dir.resolve("mbr.bin"), mbrBytes);
        kernel = Files.write(dir.resolve("vmlinuz-6.1.0-56-amd64"), new byte[3 * 1024 * 1024]);
        initrd = Files.write(dir.resolve("initramfs.gz"), new byte[1024 * 1024]);
        Files.createDirectories(dir.resolve("work"));
        when(runner.runChecked(any())).thenAnswer(inv -> {
            Command c = inv.getArgument(0);
            ran.add(c);
            if (c.argv().get(0).equals("qemu-img")) {
                Files.writeString(Path.of(c.argv().get(c.argv().size() - 1)), "qcow2 from " + c.argv().get(6));
            }
            return new CommandResult(c, 0, new byte[0], new byte[0]);
        });
    }

    private DiskImageMaker maker() {
        return new DiskImageMaker(runner, Instant.ofEpochSecond(1_767_225_600L), Duration.ofMinutes(1), mbr);
    }

    @Test
    void runsTheToolsOnPlainFilesWithTheSourceDate() throws Exception {
        Path out = dir.resolve("out.qcow2");
        maker().make(kernel, initrd, dir.resolve("work"), out);

        Path work = dir.resolve("work");
        String part = work.resolve("partition.img").toString();
        String disk = work.resolve("disk.raw").toString();
        assertEquals(List.of(
                List.of("mkfs.vfat", "--invariant", "-i", "766d6772", "-n", "VMGRID", part),
                List.of("mcopy", "-m", "-i", part, work.resolve("vmlinuz").toString(), work.resolve("initrd.img").toString(),
                        work.resolve("syslinux.cfg").toString(), "::/"),
                List.of("syslinux", "--install", part),
                List.of("sfdisk", "--no-reread", "--no-tell-kernel", "--quiet", disk),
                List.of("qemu-img", "convert", "-f", "raw", "-O", "qcow2", disk, out + ".partial")),
                ran.stream().map(Command::argv).toList());
        for (Command c : ran) {
            assertEquals("1767225600", c.environment().get("SOURCE_DATE_EPOCH"), c.display());
        }
        assertEquals(work.resolve("mtoolsrc").toString(), ran.get(1).environment().get("MTOOLSRC"));
        assertEquals("label: dos\nlabel-id: 0x766d6772\nstart=2048, type=c, bootable\n",
                new String(ran.get(3).stdin(), StandardCharsets.US_ASCII));
        assertEquals(Instant.ofEpochSecond(1_767_225_600L), Files.getLastModifiedTime(work.resolve("vmlinuz")).toInstant());
        assertEquals("qcow2 from " + disk, Files.readString(out));
        assertFalse(Files.exists(Path.of(out + ".partial")));

        byte[] raw = Files.readAllBytes(Path.of(disk));
        assertEquals(DiskImageMaker.MIB + Files.size(Path.of(part)), raw.length);
        assertArrayEquals(Files.readAllBytes(mbr), Arrays.copyOf(raw, 440));
        assertTrue(Files.readString(work.resolve("syslinux.cfg")).contains("APPEND " + DiskImageMaker.KERNEL_ARGS));
    }

    @Test
    void aFailingToolLeavesNoImage() {
        doThrow(new CommandFailedException("'syslinux --install' exited with 1")).when(runner).runChecked(any());
        Path out = dir.resolve("out.qcow2");
        assertThrows(CommandFailedException.class, () -> maker().make(kernel, initrd, dir.resolve("work"), out));
        assertFalse(Files.exists(out));
    }

    @Test
    void aFailedConversionLeavesNoPartialImage() throws Exception {
        Path out = dir.resolve("out.qcow2");
        doAnswer(inv -> {
            Command c = inv.getArgument(0);
            if (c.argv().get(0).equals("qemu-img")) {
                Files.writeString(Path.of(c.argv().get(c.argv().size() - 1)), "half");
                throw new CommandFailedException("'qemu-img convert' exited with 1: No space left on device");
            }
            return new CommandResult(c, 0, new byte[0], new byte[0]);
        }).when(runner).runChecked(any());
        assertThrows(CommandFailedException.class, () -> maker().make(kernel, initrd, dir.resolve("work"), out));
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(Path.of(out + ".partial")));
    }

    @Test
    void refusesAnMbrThatIsNotOne() throws Exception {
        Files.write(mbr, new byte[12]);
        Path out = dir.resolve("out.qcow2");
        assertThrows(org.vmgrid.appliance.ApplianceBuildException.class,
                () -> maker().make(kernel, initrd, dir.resolve("work"), out));
        assertFalse(Files.exists(out));
    }

    @Test
    void sizesThePartitionInWholeMebibytesWithRoomToSpare() {
        assertEquals(16 * DiskImageMaker.MIB, DiskImageMaker.partitionSize(1000));
        long content = 9_686_594L;
        long size = DiskImageMaker.partitionSize(content);
        assertEquals(0, size % DiskImageMaker.MIB);
        assertTrue(size >= content * 5 / 4, "room for FAT and syslinux");
        long big = 40 * DiskImageMaker.MIB;
        assertTrue(DiskImageMaker.partitionSize(big) >= big * 5 / 4);
    }
}
