package org.vmgrid.blahservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The hook's request and BLAH's request file, read as the real unwinder wrote them. */
class HookRequestTest {

    static String resource(String name) throws IOException {
        try (InputStream in = HookRequestTest.class.getResourceAsStream("/blah-requests/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theHeaderNamesTheBatchSystemAndTheRestIsTheScriptAsItIs() {
        HookRequest r = HookRequest.parse("vmgrid-blah-hook 1 slurm\n#!/bin/sh\nA='1'\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("slurm", r.lrms());
        assertEquals("#!/bin/sh\nA='1'\n", r.script());
        for (String bad : List.of("", "lrms=slurm\0", "vmgrid-blah-hook 2 slurm\n", "vmgrid-blah-hook 1 Slurm\n",
                "vmgrid-blah-hook 1 slurm")) {
            assertThrows(HookServiceException.class, () -> HookRequest.parse(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        assertThrows(HookServiceException.class, () -> HookRequest.parse(new byte[HookRequest.MAX_BYTES + 1]));
    }

    @Test
    void theContractFilesReadAsBlahWroteThem() throws IOException {
        BlahRequestFile f = BlahRequestFile.parse("#!/bin/sh\n" + resource("contract/admitted-fqan.req")
                + "blah_opt_mpinodes=1\nsource /usr/libexec/blah/slurm_local_submit_attributes.sh\n");
        assertTrue(f.asksForVm());
        assertEquals(List.of(), f.unreadable());
        assertEquals(new BlahRequestFile.Assignment("GlueHostApplicationSoftwareRunTimeEnvironment", OptionalInt.of(0),
                "\"VM-IMAGE-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\""), f.assignments().get(2));
        assertEquals("\"none\"", f.assignments().get(5).value());
        assertEquals(List.of("/dteam/Role=NULL/Capability=NULL", "/dteam/vmgrid/Role=NULL/Capability=NULL"),
                ClassAdValues.fqans(f.assignments().get(1).value()));
        assertFalse(BlahRequestFile.parse(resource("contract/plain-glue-min.req")).asksForVm());
        assertTrue(BlahRequestFile.parse(resource("conformance/tag-only-assumed.req")).asksForVm());
    }

    @Test
    void theHooksTestForAVmRequestIsMirroredLineForLine() {
        for (String vm : List.of("VmgridMemory='1'", "vmgrid_socket='/x'", "VMGRID_HOME='/x'",
                "GlueHostApplicationSoftwareRunTimeEnvironment[3]='\"vm-image-x\"'",
                "gluehostapplicationsoftwareruntimeenvironment='VM-IMAGE-x'", "Vmgrid;touch x;y='1'")) {
            assertTrue(BlahRequestFile.parse(vm).asksForVm(), vm);
        }
        assertEquals(List.of("Vmgrid;touch x;y='1'"), BlahRequestFile.parse("Vmgrid;touch x;y='1'").unreadable());
        assertEquals(List.of("A='x", "y'", "touch z"), BlahRequestFile.parse("#!/bin/sh\nA='x\ny'\ntouch z\n"
                + "blah_opt_mpinodes=4\n. /usr/libexec/blah/pbs_local_submit_attributes.sh\n").unreadable());
        for (String plain : List.of("Queue='grid'", "GlueHostApplicationSoftwareRunTimeEnvironment[0]='\"VO-ops\"'",
                "X='VM-IMAGE-x'", " VmgridMemory='1'", "source /x/slurm_local_submit_attributes.sh")) {
            assertFalse(BlahRequestFile.parse(plain).asksForVm(), plain);
        }
    }

    @Test
    void classAdValuesAreReadPlainOrNotAtAll() {
        assertEquals(Optional.of("none"), ClassAdValues.text("\"none\""));
        assertEquals(Optional.of("2048"), ClassAdValues.text("2048"));
        assertEquals(Optional.of(""), ClassAdValues.text("\"\""));
        for (String bad : List.of("\"none\\n#SBATCH --uid=0\"", "\"a\"b\"", "\"", "a\\b", "\"x", "x\"")) {
            assertEquals(Optional.empty(), ClassAdValues.text(bad), bad);
        }
    }

    @Test
    void fqanListsInBlahsFormAndCreamsAreRead() {
        assertEquals(List.of(), ClassAdValues.fqans("\"userFQAN=\""));
        assertEquals(List.of("/dteam"), ClassAdValues.fqans("\"userFQAN=/dteam\""));
        assertEquals(List.of("/dteam", "/dteam/x"), ClassAdValues.fqans("/dteam,/dteam/x"));
        for (String bad : List.of("\"userFQAN=/dteam", "\"userDN=/CN=x\"", "\"userFQAN=/a\"\"userFQAN=/b\"",
                "\"userFQAN=/a\"  \"userFQAN=/b\"", "\"userFQAN=/a\" x")) {
            assertThrows(HookServiceException.class, () -> ClassAdValues.fqans(bad), bad);
        }
    }
}
