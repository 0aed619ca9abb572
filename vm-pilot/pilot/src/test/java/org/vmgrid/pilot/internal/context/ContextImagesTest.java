package org.vmgrid.pilot.internal.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.CommandFailedException;
import org.vmgrid.exec.CommandResult;
import org.vmgrid.exec.CommandRunner;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;

class ContextImagesTest {

    @Test
    void runsGenisoimageWithTheContractsLabelsAndFiles(@TempDir Path dir) {
        CommandRunner runner = mock(CommandRunner.class);
        List<List<String>> seen = new ArrayList<>();
        List<String> staged = new ArrayList<>();
        when(runner.runChecked(any())).thenAnswer(inv -> {
            Command c = inv.getArgument(0);
            seen.add(c.argv());
            Path src = Path.of(c.argv().get(c.argv().size() - 1));
            try (var s = Files.list(src)) {
                s.map(p -> p.getFileName().toString()).sorted().forEach(staged::add);
            }
            return new CommandResult(c, 0, new byte[0], new byte[0]);
        });
        ContextImages images = new ContextImages(runner);
        images.writeContext(new ContextScript().plain("A", "1"), dir.resolve("context.iso"));
        images.writeCidata(ContextScriptTest.job(List.of("true"), Map.of(), ""), dir.resolve("cidata.iso"));
        assertEquals(List.of("genisoimage", "-quiet", "-input-charset", "utf-8", "-J", "-R", "-V", "CONTEXT", "-o",
                dir.resolve("context.iso").toString(), dir.resolve("context.iso.d").toString()), seen.get(0));
        assertEquals("cidata", seen.get(1).get(7));
        assertEquals(List.of("context.sh", "meta-data", "user-data"), staged);
        assertFalse(Files.exists(dir.resolve("context.iso.d")), "staging directory removed");
    }

    @Test
    void aFailingIsoToolIsAHostFailureNamingTheImage(@TempDir Path dir) {
        CommandRunner runner = mock(CommandRunner.class);
        when(runner.runChecked(any())).thenThrow(new CommandFailedException("genisoimage exited with 1: disk full"));
        PilotException e = assertThrows(PilotException.class,
                () -> new ContextImages(runner).writeContext(new ContextScript(), dir.resolve("c.iso")));
        assertEquals(FailureKind.HOST, e.kind());
        assertEquals(true, e.getMessage().contains("c.iso") && e.getMessage().contains("disk full"));
        assertFalse(Files.exists(dir.resolve("c.iso.d")));
    }
}
