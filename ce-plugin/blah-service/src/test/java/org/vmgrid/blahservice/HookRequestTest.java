package org.vmgrid.blahservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HookRequestTest {

    private static byte[] wire(String... records) {
        StringBuilder sb = new StringBuilder();
        for (String r : records) {
            sb.append(r).append('\0');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsEveryKeyKeepingValuesVerbatim() {
        HookRequest r = HookRequest.parse(wire("lrms=slurm", "tag=VM-IMAGE-x", "tag=a=b\n$(c)", "memory=2048",
                "cpus=2", "network=none", "bound=VmgridMemory_Min"));
        assertEquals("slurm", r.lrms());
        assertEquals(List.of("VM-IMAGE-x", "a=b\n$(c)"), r.tags());
        assertEquals(Optional.of("2048"), r.memory());
        assertEquals(Optional.of("2"), r.cpus());
        assertEquals(Optional.of("none"), r.network());
        assertEquals(List.of("VmgridMemory_Min"), r.bounds());
    }

    @Test
    void readsTheSubmittersVoAndFqansVerbatim() {
        HookRequest r = HookRequest.parse(wire("lrms=slurm", "vo=dteam\n$(x)", "fqan=/dteam/Role=NULL,/dteam/x"));
        assertEquals(Optional.of("dteam\n$(x)"), r.vo());
        assertEquals(Optional.of("/dteam/Role=NULL,/dteam/x"), r.fqans());
        assertThrows(HookServiceException.class, () -> HookRequest.parse(wire("vo=dteam", "vo=cms")));
        assertThrows(HookServiceException.class, () -> HookRequest.parse(wire("fqan=/a", "fqan=/b")));
    }

    @Test
    void emptyRequestHasNothing() {
        HookRequest r = HookRequest.parse(new byte[0]);
        assertEquals(List.of(), r.tags());
        assertEquals(Optional.empty(), r.memory());
    }

    @Test
    void refusesUnknownRepeatedUnterminatedAndNonUtf8() {
        assertThrows(HookServiceException.class, () -> HookRequest.parse(wire("PATH=/tmp")));
        assertThrows(HookServiceException.class, () -> HookRequest.parse(wire("memory=1", "memory=2")));
        assertThrows(HookServiceException.class, () -> HookRequest.parse("lrms=slurm".getBytes(StandardCharsets.UTF_8)));
        assertThrows(HookServiceException.class, () -> HookRequest.parse(wire("noequals")));
        assertThrows(HookServiceException.class, () -> HookRequest.parse(new byte[] {'t', 'a', 'g', '=', (byte) 0xff, 0}));
        assertThrows(HookServiceException.class, () -> HookRequest.parse(new byte[HookRequest.MAX_BYTES + 1]));
    }
}
