package org.vmgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.pilot.FailureKind;

/** {@code vmgrid pilot run}'s refusals, all before any VM or libvirt connection. */
class PilotCommandTest {

    private static final String UNKNOWN = "00000000-0000-4000-8000-000000000000";

    private static Path site(Path dir, String limits) throws Exception {
        Files.writeString(dir.resolve("images.properties"), "catalogs = \ntrust.unsigned = true\n");
        Files.writeString(dir.resolve("limits.properties"), limits);
        return dir;
    }

    @Test
    void withoutImageOrWorkdirItIsAUsageError() {
        MainTest.Result r = MainTest.run("pilot", "run", "--", "true");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--image") && r.err().contains("--workdir"), r.err());
    }

    @Test
    void anImageTheCatalogueDoesNotKnowExitsWithTheImageCodeAndOneLine(@TempDir Path dir) throws Exception {
        MainTest.Result r = MainTest.run("pilot", "run", "--config-dir", site(dir, "").toString(), "--image", UNKNOWN,
                "--workdir", dir.toString(), "--", "true");
        assertEquals(ExitCodes.VM_IMAGE, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("vmgrid pilot run: --image names image " + UNKNOWN + ", which this site cannot run: "), r.err());
    }

    @Test
    void withServiceTheSiteConfigurationIsTheServicesAndOptionsChoosingAnotherAreRefused(@TempDir Path dir) {
        for (String[] opt : new String[][] {{"--config-dir", dir.toString()}, {"--catalog", dir.resolve("l.json").toString()},
                {"--trust-unsigned"}}) {
            java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("pilot", "run", "--service",
                    dir.resolve("pilot.sock").toString(), "--image", UNKNOWN, "--workdir", dir.toString()));
            argv.addAll(java.util.List.of(opt));
            argv.addAll(java.util.List.of("--", "true"));
            MainTest.Result r = MainTest.run(argv.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, r.code(), r.err());
            assertEquals("vmgrid pilot run: " + opt[0] + " cannot be used with --service: the service runs jobs with its"
                    + " own site configuration", r.err().strip());
        }
    }

    @Test
    void withServiceAndNothingListeningItIsAHostFailureNamingTheSocket(@TempDir Path dir) {
        Path sock = dir.resolve("pilot.sock");
        MainTest.Result r = MainTest.run("pilot", "run", "--service", sock.toString(), "--image", UNKNOWN, "--workdir",
                dir.toString(), "--", "true");
        assertEquals(ExitCodes.VM_HOST, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("vmgrid pilot run: cannot reach the pilot service at " + sock), r.err());
        assertTrue(r.err().contains("service.socket = " + sock), r.err());
    }

    @Test
    void aBadNetworkKeywordIsAUsageError(@TempDir Path dir) throws Exception {
        MainTest.Result r = MainTest.run("pilot", "run", "--config-dir", site(dir, "").toString(), "--image", UNKNOWN,
                "--workdir", dir.toString(), "--network", "bridged", "--", "true");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--network must be none or outbound"), r.err());
    }

    @Test
    void anEnvNameThatIsNoShellNameIsAUsageErrorBeforeTheImageIsLookedUp(@TempDir Path dir) throws Exception {
        for (String bad : new String[] {"1A=x", "A-B=x", "NOEQUALS", "=x", "A B=x", "A;rm -rf /=x"}) {
            MainTest.Result r = MainTest.run("pilot", "run", "--config-dir", site(dir, "").toString(), "--image", UNKNOWN,
                    "--workdir", dir.toString(), "--env", "GOOD=1", "--env", bad, "--", "true");
            assertEquals(ExitCodes.USAGE, r.code(), bad);
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("is not NAME=VALUE"), r.err());
        }
    }

    @Test
    void anEnvNameGivenTwiceIsAUsageError(@TempDir Path dir) throws Exception {
        MainTest.Result r = MainTest.run("pilot", "run", "--config-dir", site(dir, "").toString(), "--image", UNKNOWN,
                "--workdir", dir.toString(), "--env", "A=1", "--env", "A=2", "--", "true");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--env A is given twice"), r.err());
    }

    @Test
    void aCeJobIdThatIsNoneIsAUsageErrorBeforeTheImageIsLookedUpAndAGoodOneGoesOn(@TempDir Path dir) throws Exception {
        for (String bad : new String[] {"", "a b", "x\",\"exitCode\":0", "-x", "a\nb"}) {
            MainTest.Result r = MainTest.run("pilot", "run", "--config-dir", site(dir, "").toString(), "--image", UNKNOWN,
                    "--workdir", dir.toString(), "--ce-job", bad, "--", "true");
            assertEquals(ExitCodes.USAGE, r.code(), bad);
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("vmgrid pilot run: --ce-job: a CE job id is 1-256 letters"), r.err());
        }
        MainTest.Result r = MainTest.run("pilot", "run", "--config-dir", site(dir, "").toString(), "--image", UNKNOWN,
                "--workdir", dir.toString(), "--ce-job", "https://ce.example.org:443/arex/lvJMDm9eGKw9hwWo", "--", "true");
        assertEquals(ExitCodes.VM_IMAGE, r.code(), r.err());
    }

    @Test
    void anyValueTextIsAcceptedSoTheRunGoesOnToTheImage(@TempDir Path dir) throws Exception {
        MainTest.Result r = MainTest.run("pilot", "run", "--config-dir", site(dir, "").toString(), "--image", UNKNOWN,
                "--workdir", dir.toString(), "--env", "A_1=x=y 'z' $(id)\n\u00e9", "--env", "_B=", "--", "true");
        assertEquals(ExitCodes.VM_IMAGE, r.code(), r.err());
    }

    @Test
    void userDataThatIsNoUtf8TextOrNoFileIsAUsageErrorAndTheServiceIsNotGivenAny(@TempDir Path dir) throws Exception {
        Path latin1 = java.nio.file.Files.write(dir.resolve("ud-latin1"), new byte[] {'#', '!', (byte) 0xe9});
        MainTest.Result r = MainTest.run("pilot", "run", "--config-dir", site(dir, "").toString(), "--image", UNKNOWN,
                "--workdir", dir.toString(), "--user-data", latin1.toString(), "--", "true");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("is not UTF-8 text"), r.err());
        r = MainTest.run("pilot", "run", "--config-dir", site(dir, "").toString(), "--image", UNKNOWN,
                "--workdir", dir.toString(), "--user-data", dir.resolve("missing").toString(), "--", "true");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("cannot be read"), r.err());
        r = MainTest.run("pilot", "run", "--service", dir.resolve("pilot.sock").toString(), "--image", UNKNOWN,
                "--workdir", dir.toString(), "--user-data", latin1.toString(), "--", "true");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--user-data is not carried by the pilot service"), r.err());
    }

    @Test
    void everyFailureKindHasItsOwnExitCodeOutsideTheUsualOnes() {
        java.util.Set<Integer> codes = new java.util.HashSet<>();
        for (FailureKind k : FailureKind.values()) {
            codes.add(PilotCommand.Run.exitCode(k));
        }
        assertEquals(FailureKind.values().length, codes.size());
        assertEquals(ExitCodes.VM_IMAGE, PilotCommand.Run.exitCode(FailureKind.IMAGE));
        assertEquals(ExitCodes.VM_BOOT, PilotCommand.Run.exitCode(FailureKind.BOOT));
        assertEquals(ExitCodes.VM_TIMEOUT, PilotCommand.Run.exitCode(FailureKind.TIMEOUT));
        assertEquals(ExitCodes.VM_HOST, PilotCommand.Run.exitCode(FailureKind.HOST));
        assertEquals(ExitCodes.VM_LIMIT, PilotCommand.Run.exitCode(FailureKind.LIMIT));
        assertEquals(143, PilotCommand.Run.exitCode(FailureKind.CANCELLED));
    }

    @Test
    void firewallPrintsTheOutboundGroupsRulesAndWithoutAGroupSaysThereIsNothingToDo(@TempDir Path dir) throws Exception {
        site(dir, "network.max = outbound\n");
        Files.writeString(dir.resolve("pilot.properties"), "outbound.group = vmgrid-guests\n"
                + "outbound.allow = 127.0.0.53/32 udp 53, fd00::1/128 tcp 3128\n");
        MainTest.Result r = MainTest.run("pilot", "firewall", "--config-dir", dir.toString(), "--print");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains(":VMGRID-vmgrid-guests - [0:0]\n"
                + "-A VMGRID-vmgrid-guests -d 127.0.0.53/32 -p udp --dport 53 -j RETURN\n"
                + "-A VMGRID-vmgrid-guests -m addrtype --dst-type LOCAL -p tcp -j REJECT --reject-with tcp-reset\n"
                + "-A VMGRID-vmgrid-guests -m addrtype --dst-type LOCAL -j REJECT\n"
                + "-A VMGRID-vmgrid-guests -d 169.254.0.0/16 -p tcp -j REJECT --reject-with tcp-reset\n"
                + "-A VMGRID-vmgrid-guests -d 169.254.0.0/16 -j REJECT\n"
                + "-I OUTPUT -m owner --gid-owner vmgrid-guests -j VMGRID-vmgrid-guests\nCOMMIT\n"), out);
        assertTrue(out.contains("-A VMGRID-vmgrid-guests -d fd00::1/128 -p tcp --dport 3128 -j RETURN\n"
                + "-A VMGRID-vmgrid-guests -m addrtype --dst-type LOCAL -p tcp -j REJECT --reject-with tcp-reset\n"), out);
        assertTrue(out.contains("-d fe80::/10 -j REJECT\n"), out);
        Files.writeString(dir.resolve("pilot.properties"), "");
        r = MainTest.run("pilot", "firewall", "--config-dir", dir.toString(), "--print");
        assertEquals(ExitCodes.CONFIG, r.code());
        assertTrue(r.err().contains("sets no outbound.group"), r.err());
    }
}
