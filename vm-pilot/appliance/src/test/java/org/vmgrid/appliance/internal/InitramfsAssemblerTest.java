package org.vmgrid.appliance.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.appliance.ApplianceBuildException;

class InitramfsAssemblerTest {

    @TempDir
    Path dir;

    private byte[] assemble(List<String> applets) throws Exception {
        Path busybox = Files.writeString(dir.resolve("busybox"), "ELF busybox");
        Path modules = dir.resolve("lib/modules/6.1.0-56-amd64");
        Files.createDirectories(modules.resolve("kernel/net/9p"));
        Files.createDirectories(modules.resolve("kernel/fs/9p"));
        Files.writeString(modules.resolve("kernel/net/9p/9pnet.ko"), "9pnet");
        Files.writeString(modules.resolve("kernel/fs/9p/9p.ko"), "9p");
        return new InitramfsAssembler(1_767_225_600L).assemble(busybox, applets, modules,
                List.of("kernel/net/9p/9pnet.ko", "kernel/fs/9p/9p.ko"));
    }

    private static Map<String, CpioArchiveTest.Parsed> entries(byte[] gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return CpioArchiveTest.parse(in.readAllBytes()).stream()
                    .collect(Collectors.toMap(CpioArchiveTest.Parsed::name, Function.identity()));
        }
    }

    @Test
    void holdsBusyboxTheInitAndOnlyTheModulesInLoadOrder() throws Exception {
        Map<String, CpioArchiveTest.Parsed> e = entries(assemble(List.of("busybox", "sh", "[", "poweroff")));
        assertArrayEquals("ELF busybox".getBytes(StandardCharsets.US_ASCII), e.get("bin/busybox").data());
        assertEquals("busybox", new String(e.get("bin/sh").data(), StandardCharsets.US_ASCII));
        assertEquals("busybox", new String(e.get("bin/[").data(), StandardCharsets.US_ASCII));
        assertEquals(0100755, e.get("init").mode());
        assertArrayEquals(InitramfsAssembler.resource("init.sh"), e.get("init").data());
        assertEquals("9pnet.ko\n9p.ko\n", new String(e.get("lib/vmgrid/modules.load").data(), StandardCharsets.US_ASCII));
        assertEquals("9p", new String(e.get("lib/modules/9p.ko").data(), StandardCharsets.US_ASCII));
        assertEquals(020600, e.get("dev/console").mode());
        assertTrue(e.containsKey("lib/vmgrid/udhcpc.script"));
        assertArrayEquals(InitramfsAssembler.resource("read-context.sh"), e.get("lib/vmgrid/read-context").data());
        assertEquals(0100755, e.get("lib/vmgrid/read-context").mode());
        assertTrue(e.keySet().containsAll(List.of("proc", "sys", "dev", "run", "tmp", "etc")));
    }

    @Test
    void isTheSameBytesEveryTime() throws Exception {
        assertArrayEquals(assemble(List.of("sh", "ls")), assemble(List.of("ls", "sh")));
    }

    @Test
    void refusesAnAppletNameThatWouldEscapeBin() {
        assertThrows(ApplianceBuildException.class, () -> assemble(List.of("sh", "../init")));
    }

    @Test
    void theGuestScriptsNeverSourceOrEvalAnything() {
        for (String script : List.of("init.sh", "read-context.sh", "udhcpc.script")) {
            String text = new String(InitramfsAssembler.resource(script), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("#!/bin/sh\n"), script);
            for (String line : text.split("\n")) {
                String code = line.strip();
                assertTrue(!code.startsWith(". ") && !code.startsWith("source ") && !code.contains("eval "),
                        script + " must not source or eval anything: " + line);
            }
        }
    }
}
