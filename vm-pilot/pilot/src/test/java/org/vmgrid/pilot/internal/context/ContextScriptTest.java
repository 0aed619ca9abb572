package org.vmgrid.pilot.internal.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.GuestAgent;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.exec.Command;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.internal.domain.DomainXmlEncoderTest;
import org.vmgrid.testing.HostileText;

class ContextScriptTest {

    static final List<String> HOSTILE = List.of("echo", "it's", "$(touch /tmp/pwned)", "a\nb", "`id`;rm -rf /", "", "ü");

    static PilotJob job(List<String> argv, Map<String, String> env, String userData) {
        return new PilotJob("job-7", new VmRequest(DomainXmlEncoderTest.IMAGE_FOR_TESTS, 128, 1, NetworkMode.NONE,
                userData), argv, env, Path.of("/jobs/7"), Duration.ofSeconds(5));
    }

    @Test
    void everyLineIsANameAndASafeQuotedValue() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("B", "x'; reboot; '");
        env.put("A", "line1\nline2");
        String text = JobContextScript.of(job(HOSTILE, env, "#!/bin/sh\nid\n"), "/jobs/7", false).toString();
        for (String line : text.split("\n")) {
            assertTrue(line.matches("[A-Z][A-Z0-9_]*='[A-Za-z0-9+/=._:,@-]*'"), line);
        }
        assertTrue(text.contains("VMGRID_CONTEXT_VERSION='1'\n"));
        assertTrue(text.contains("VMGRID_ARGC='7'\n"));
        assertTrue(text.contains("VMGRID_ENVC='2'\n"));
        assertTrue(text.contains("VMGRID_NETWORK='none'\n"));
        assertTrue(text.contains("VMGRID_WORKDIR_TAG='jobdir'\n"));
        assertTrue(text.contains("USERDATA_ENCODING='base64'\n"));
    }

    @Test
    void aShellSourcingTheScriptGetsEveryArgumentBackByteForByte(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("GREETING", "hi $USER `x`");
        Path script = dir.resolve("context.sh");
        Files.write(script, JobContextScript.of(job(HOSTILE, env, ""), "/jobs/7", true).bytes());
        String decode = ". " + script + "; i=0; while [ $i -lt $VMGRID_ARGC ]; do eval v=\\$VMGRID_ARG_$i; "
                + "printf '%s' \"$v\" | base64 -d; printf '\\0'; i=$((i+1)); done; "
                + "printf '%s' \"$VMGRID_ENV_0\" | base64 -d; printf '\\0%s' \"$VMGRID_NETWORK\"";
        var r = new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(10), "sh", "-c", decode));
        String[] parts = new String(r.stdout(), StandardCharsets.UTF_8).split("\0", -1);
        assertEquals(HOSTILE, List.of(parts).subList(0, HOSTILE.size()));
        assertEquals("GREETING=hi $USER `x`", parts[HOSTILE.size()]);
        assertEquals("outbound", parts[HOSTILE.size() + 1]);
        assertTrue(Files.notExists(Path.of("/tmp/pwned")));
    }

    /**
     * Every value of the hostile corpus, as an argument and as an environment value, is either
     * refused (typed) or comes back from a shell sourcing the script byte for byte; nothing runs.
     */
    @Test
    void theHostileCorpusComesBackExactlyOrIsRefused(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("context.sh");
        int refused = 0;
        for (String v : HostileText.VALUES) {
            ContextScript s;
            try {
                s = JobContextScript.of(job(List.of(v), Map.of("V", v), v), "/jobs/7", false);
            } catch (IllegalArgumentException | PilotException e) {
                refused++;
                continue;
            }
            Files.write(script, s.bytes());
            String decode = ". " + script + "; cd " + dir + "; printf '%s' \"$VMGRID_ARG_0\" | base64 -d > arg; "
                    + "printf '%s' \"$VMGRID_ENV_0\" | base64 -d > env; printf '%s' \"$USER_DATA\" | base64 -d > userdata";
            new ProcessCommandRunner().runChecked(Command.of(Duration.ofSeconds(10), "sh", "-c", decode));
            assertEquals(List.of(v, "V=" + v, v), List.of(Files.readString(dir.resolve("arg")),
                    Files.readString(dir.resolve("env")), Files.readString(dir.resolve("userdata"))),
                    "value " + org.vmgrid.testing.Fuzz.show(v));
        }
        assertTrue(refused < HostileText.VALUES.size() / 2, "most hostile values are plain data here: " + refused);
    }

    @Test
    void userDataAndWorkdirTravelInBase64() {
        String text = JobContextScript.of(job(List.of("true"), Map.of(), "x'y"), "/jobs/7", false).toString();
        assertTrue(text.contains("USER_DATA='" + Base64.getEncoder().encodeToString("x'y".getBytes(StandardCharsets.UTF_8)) + "'"));
        assertTrue(text.contains("VMGRID_WORKDIR='" + Base64.getEncoder().encodeToString("/jobs/7".getBytes(StandardCharsets.UTF_8)) + "'"));
    }

    @Test
    void theTransportIs9pButDisksOnAStockCloudInitImage() {
        assertTrue(JobContextScript.of(job(List.of("true"), Map.of(), ""), "/jobs/7", false).toString()
                .contains("VMGRID_WORKDIR_TRANSPORT='9p'\n"));
        PilotJob j = job(List.of("true"), Map.of(), "");
        PilotJob cloud = new PilotJob(j.jobId(), new VmRequest(j.vm().image().withGuestAgent(GuestAgent.CLOUD_INIT),
                128, 1, NetworkMode.NONE, ""), j.argv(), Map.of(), j.workdir(), j.timeout());
        assertTrue(JobContextScript.of(cloud, "/jobs/7", false).toString().contains("VMGRID_WORKDIR_TRANSPORT='disk'\n"));
    }

    @Test
    void anEnvironmentNameThatIsNoNameIsRefused() {
        PilotException e = assertThrows(PilotException.class,
                () -> JobContextScript.of(job(List.of("true"), Map.of("A;reboot", "1"), ""), "/jobs/7", false));
        assertEquals(FailureKind.REFUSED, e.kind());
    }

    @Test
    void anUnsafePlainValueIsRefusedAndNothingIsWritten() {
        ContextScript s = new ContextScript().plain("OK", "1");
        assertThrows(PilotException.class, () -> s.plain("BAD", "a'b"));
        assertThrows(PilotException.class, () -> s.plain("lower", "a"));
        assertEquals("OK='1'\n", s.toString());
    }
}
