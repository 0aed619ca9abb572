package org.vmgrid.pilot.internal.jobdir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;

/** The job directory on disks, against GNU tar as the guest runs it ({@code tar -x}, {@code tar -c}). */
class JobdirDisksTest {

    @TempDir
    Path tmp;

    private final List<String> notes = new ArrayList<>();

    private static void tar(String... args) {
        new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(30), args));
    }

    @Test
    void theJobDirectoryGoesInAndWhatTheGuestMadeComesBackAsTheUsersPlainFiles() throws IOException {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.writeString(work.resolve("input.txt"), "from the host\n");
        Files.createDirectories(work.resolve("sub dir"));
        Files.writeString(work.resolve("sub dir/nested"), "n");
        JobdirDisks disks = new JobdirDisks(1 << 20);
        Path in = tmp.resolve("in.tar");
        disks.writeIn("j1", new LocalJobDirectory(work, notes::add), in);
        assertEquals(0, Files.size(in) % 512, "whole sectors");

        Path guest = Files.createDirectories(tmp.resolve("guest"));
        tar("tar", "-x", "-f", in.toString(), "-C", guest.toString(), "--no-same-owner");
        assertEquals("from the host\n", Files.readString(guest.resolve("input.txt")));
        assertEquals("n", Files.readString(guest.resolve("sub dir/nested")));
        Files.writeString(guest.resolve("output.txt"), "made in the guest\n");
        Files.writeString(guest.resolve("input.txt"), "changed\n");
        Files.createDirectories(guest.resolve("new/deeper"));
        Files.writeString(guest.resolve("new/deeper/f"), "deep");
        Path out = tmp.resolve("out.tar");
        disks.createOut(out);
        tar("tar", "-c", "-f", out.toString(), "-C", guest.toString(), ".");

        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.READ)) {
            disks.takeBack("j1", ch, new LocalJobDirectory(work, notes::add), notes::add);
        }
        assertEquals("made in the guest\n", Files.readString(work.resolve("output.txt")));
        assertEquals("changed\n", Files.readString(work.resolve("input.txt")));
        assertEquals("deep", Files.readString(work.resolve("new/deeper/f")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("output.txt"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("new"))));
        assertEquals(List.of(), notes);
    }

    @Test
    void longNamesTravelBothWaysInGnuAndPosixArchives() throws IOException {
        String longName = "d".repeat(120) + "/" + "f".repeat(150);
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.createDirectories(work.resolve(longName).getParent());
        Files.writeString(work.resolve(longName), "long");
        JobdirDisks disks = new JobdirDisks(1 << 20);
        Path in = tmp.resolve("in.tar");
        disks.writeIn("j1", new LocalJobDirectory(work, notes::add), in);
        Path guest = Files.createDirectories(tmp.resolve("guest"));
        tar("tar", "-x", "-f", in.toString(), "-C", guest.toString(), "--no-same-owner");
        assertEquals("long", Files.readString(guest.resolve(longName)));
        Files.writeString(guest.resolve(longName + "-back"), "back");
        for (String format : new String[] {"gnu", "posix"}) {
            Path out = tmp.resolve("out-" + format + ".tar");
            disks.createOut(out);
            tar("tar", "-c", "--format=" + format, "-f", out.toString(), "-C", guest.toString(), ".");
            Path back = Files.createDirectories(tmp.resolve("back-" + format));
            try (FileChannel ch = FileChannel.open(out, StandardOpenOption.READ)) {
                disks.takeBack("j1", ch, new LocalJobDirectory(back, notes::add), notes::add);
            }
            assertEquals("back", Files.readString(back.resolve(longName + "-back")), format);
        }
        assertEquals(List.of(), notes);
    }

    @Test
    void namesOutsideTheJobDirectoryLinksAndWritesThroughHostLinksAreLeftOutWithANote() throws IOException {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path elsewhere = Files.writeString(tmp.resolve("elsewhere"), "untouched");
        Files.createSymbolicLink(work.resolve("planted"), elsewhere);
        Path guest = Files.createDirectories(tmp.resolve("guest/inner"));
        Files.writeString(tmp.resolve("guest/escape"), "escaped");
        Files.writeString(guest.resolve("planted"), "through the link");
        Files.createSymbolicLink(guest.resolve("link"), Path.of("/etc/passwd"));
        Files.writeString(guest.resolve("ok"), "fine");
        Path out = tmp.resolve("out.tar");
        JobdirDisks disks = new JobdirDisks(1 << 20);
        disks.createOut(out);
        // -P keeps '..' and absolute names, as a hostile guest's tar would write them
        tar("tar", "-c", "-P", "-f", out.toString(), "-C", guest.toString(), "../escape", elsewhere.toString(),
                "planted", "link", "ok");

        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.READ)) {
            disks.takeBack("j1", ch, new LocalJobDirectory(work, notes::add), notes::add);
        }
        assertEquals("fine", Files.readString(work.resolve("ok")));
        assertEquals("untouched", Files.readString(elsewhere));
        assertFalse(Files.exists(tmp.resolve("escape")), "nothing written beside the job directory");
        assertFalse(Files.exists(work.resolve("link"), LinkOption.NOFOLLOW_LINKS), "no link made");
        assertTrue(Files.isSymbolicLink(work.resolve("planted")), "the host's link is left as it is");
        String all = String.join("\n", notes);
        assertTrue(all.contains("'..'") && all.contains("an absolute path") && all.contains("planted")
                && all.contains("link (a symbolic link)"), all);
    }

    @Test
    void anArchiveRunningPastItsDiskIsALimitAndGarbageIsNoArchive() throws IOException {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path guest = Files.createDirectories(tmp.resolve("guest"));
        Files.write(guest.resolve("big"), new byte[200_000]);
        Path full = tmp.resolve("full.tar");
        tar("tar", "-c", "-f", full.toString(), "-C", guest.toString(), "big");
        JobdirDisks small = new JobdirDisks(64 * 1024);
        try (FileChannel ch = FileChannel.open(full, StandardOpenOption.READ)) {
            PilotException e = assertThrows(PilotException.class,
                    () -> small.takeBack("j1", ch, new LocalJobDirectory(work, notes::add), notes::add));
            assertEquals(FailureKind.LIMIT, e.kind(), e.getMessage());
        }
        Path garbage = Files.writeString(tmp.resolve("garbage"), "x".repeat(4096));
        try (FileChannel ch = FileChannel.open(garbage, StandardOpenOption.READ)) {
            PilotException e = assertThrows(PilotException.class,
                    () -> small.takeBack("j1", ch, new LocalJobDirectory(work, notes::add), notes::add));
            assertEquals(FailureKind.BOOT, e.kind(), e.getMessage());
        }
    }

    @Test
    void aJobDirectoryLargerThanTheCapIsRefusedBeforeAnyVm() throws IOException {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.write(work.resolve("big"), new byte[100_000]);
        PilotException e = assertThrows(PilotException.class, () -> new JobdirDisks(64 * 1024)
                .writeIn("j1", new LocalJobDirectory(work, notes::add), tmp.resolve("in.tar")));
        assertEquals(FailureKind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("jobdir.max.bytes"), e.getMessage());
    }
}
