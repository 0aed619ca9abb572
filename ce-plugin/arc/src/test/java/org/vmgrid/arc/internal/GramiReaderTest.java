package org.vmgrid.arc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vmgrid.arc.ArcDescriptionException;
import org.vmgrid.arc.RuntimeEnvironmentRequest;

class GramiReaderTest {

    /** Written by A-REX 6.17 for the job of arex-6.17-options.adl.xml. */
    @Test
    void readsTheRuntimeEnvironmentsAndOptionsArexWrote() throws IOException {
        Map<String, String> g = GramiReader.read(new String(AdlReaderTest.resource("arex-6.17-options.grami"),
                StandardCharsets.UTF_8));
        assertEquals(List.of(new RuntimeEnvironmentRequest("VMGRID/IMAGE/debian-12",
                List.of("it's", "a\"b", "x\\y", "$(z)", "back`tick`"))), GramiReader.runtimeEnvironments(g));
        assertEquals("GRID_GLOBAL_JOBHOST=localhost", g.get("joboption_env_3"));
        assertEquals("", g.get("joboption_memory"));
    }

    /** A-REX 6.17 drops the newlines of an argument; a line in it is never read as an assignment. */
    @Test
    void anArgumentThatLooksLikeAnAssignmentStaysAValue() throws IOException {
        Map<String, String> g = GramiReader.read(new String(AdlReaderTest.resource("arex-6.17-multiline.grami"),
                StandardCharsets.UTF_8));
        assertEquals(List.of(), GramiReader.runtimeEnvironments(g));
        assertEquals("echo 1joboption_runtime_7='VMGRID/IMAGE/evil'echo 2", g.get("joboption_arg_2"));
        Map<String, String> quotedNewline = GramiReader.read("joboption_arg_1='a\njoboption_runtime_0='\\''VMGRID/IMAGE/x'\\'''\n"
                + "joboption_runtime_0='ENV/X'\njoboption_runtime_0_1=\"it's \\\"so\\\"\"\n");
        assertEquals(List.of(new RuntimeEnvironmentRequest("ENV/X", List.of("it's \"so\""))),
                GramiReader.runtimeEnvironments(quotedNewline));
    }

    @Test
    void expansionsAreRefusedNotGuessed() {
        for (String bad : List.of("joboption_x=$(id)\n", "joboption_x=\"$HOME\"\n", "joboption_x=`id`\n", "joboption_x='a\n",
                "not an assignment\n", "joboption_x=a b\n", "joboption_x=a;b\n")) {
            ArcDescriptionException e = assertThrows(ArcDescriptionException.class, () -> GramiReader.read(bad), bad);
            assertTrue(e.getMessage().startsWith("A-REX's grami file, line "), e.getMessage());
        }
    }
}
