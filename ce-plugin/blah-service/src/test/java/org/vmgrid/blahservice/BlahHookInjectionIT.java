package org.vmgrid.blahservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.Lrms;
import org.vmgrid.config.PolicySection;

/**
 * Everything a grid user can put into the request file, through every hook: user values in every
 * VM position, and assignments to the variables the hook itself depends on (PATH, IFS, VMGRID_HOME,
 * VMGRID_HOOK_SOCKET). Nothing is executed (no canary file appears), nothing of the user's text
 * reaches the submit script, and every line printed is a well-formed directive of that batch system.
 */
class BlahHookInjectionIT {

    @TempDir
    static Path dir;
    private static BlahHookHarness blah;
    private static Path canary;

    /** Directive lines of each batch system: its prefix, then only characters with no meaning to a shell. */
    private static final Map<Lrms, Pattern> LINE = Map.of(
            Lrms.SLURM, Pattern.compile("#SBATCH --[a-z-]+=[A-Za-z0-9=:,._+/-]+"),
            Lrms.PBS, Pattern.compile("#PBS -?-[a-z-]+[ =][A-Za-z0-9=:,._+/-]+"),
            Lrms.SGE, Pattern.compile("#\\$ -?-[a-z-]+[ =][A-Za-z0-9 =:,._+/-]+"),
            Lrms.LSF, Pattern.compile("#BSUB -?-[a-zA-Z-]+[ =](\"[A-Za-z0-9 =:,._+/\\[\\]-]+\"|[A-Za-z0-9=:,._+/-]+)"),
            Lrms.CONDOR, Pattern.compile("\\+?[A-Za-z_]+ = (\"[A-Za-z0-9=:,._+/-]*\"|[A-Za-z0-9=:,._+/-]+|\\(TARGET\\.VmgridCapable =\\?= True\\))"));

    @BeforeAll
    static void start() throws IOException {
        canary = dir.resolve("PWNED");
        blah = BlahHookHarness.withoutVoPolicy(dir.resolve("ce"));
    }

    @AfterAll
    static void stop() {
        if (blah != null) {
            blah.close();
        }
    }

    /** Hostile values; each names the canary, and each contains the marker PWN. */
    private static List<String> corpus() {
        String c = canary.toString();
        return List.of(
                "$(touch " + c + ")PWN", "`touch " + c + "`PWN", "'; touch " + c + "; 'PWN", "\"; touch " + c + "; \"PWN",
                "2048\n#SBATCH --uid=0 PWN", "2048;touch " + c + ";PWN", "2048 && touch " + c + " PWN", "2048|touch " + c + "|PWN",
                "$((1+1))PWN", "${PATH}PWN", "*PWN", "-1PWN", "2048 PWN", "\u0661\u0662\u0663PWN", "\\PWN\\",
                "%s%n%xPWN", "$'\\x41'PWN", "\nPWN\n", "VM-IMAGE-" + TestImages.UUID + "\n#SBATCH --uid=0 PWN",
                "VM-IMAGE-" + TestImages.UUID + "$(touch " + c + ")PWN", "PWN".repeat(2000), "none\rPWN",
                "\u0000PWN".substring(1), "print #SBATCH --uid=0 PWN", "x\0PWN".replace("\0", ""));
    }

    private static void assertSafe(Lrms lrms, BlahHookHarness.HookRun run, String what) {
        assertFalse(Files.exists(canary), "executed user text: " + what);
        assertEquals(0, run.exitCode(), what + ": " + run.stderr());
        assertFalse(run.stdout().contains("PWN"), what + " reached the submit script: " + run.stdout());
        assertFalse(run.lines().isEmpty(), what + ": a VM request must print directives or a refusal");
        for (String line : run.lines()) {
            assertTrue(LINE.get(lrms).matcher(line).matches(), what + ": not a clean " + lrms + " line: " + line);
        }
    }

    @Test
    void userValuesInEveryPositionThroughEveryHook() throws IOException {
        for (Lrms lrms : Lrms.values()) {
            for (String bad : corpus()) {
                List<String> requests = new ArrayList<>();
                requests.add(BlahHookHarness.requestFile(Map.of(),
                        Map.of("GlueHostApplicationSoftwareRunTimeEnvironment", List.of(bad))));
                requests.add(BlahHookHarness.requestFile(Map.of(), Map.of("GlueHostApplicationSoftwareRunTimeEnvironment",
                        List.of("VM-IMAGE-" + TestImages.UUID, bad))));
                for (String attr : List.of("VmgridMemory", "VmgridCPUs", "VmgridNetwork", "VmgridMemory_Min",
                        "VirtualOrganisation", "x509UserProxyFQAN")) {
                    Map<String, String> s = new LinkedHashMap<>();
                    s.put(attr, bad);
                    requests.add(BlahHookHarness.requestFile(s, Map.of("GlueHostApplicationSoftwareRunTimeEnvironment",
                            List.of("VM-IMAGE-" + TestImages.UUID))));
                }
                for (String request : requests) {
                    BlahHookHarness.HookRun run = blah.run(lrms, request);
                    if (!run.stdout().isEmpty() || request.contains("VM-IMAGE-") || request.contains("Vmgrid")) {
                        assertSafe(lrms, run, lrms + " " + request);
                    }
                }
            }
        }
    }

    @Test
    void userAssignmentsToTheHooksOwnVariablesChangeNothing() throws IOException {
        Path evil = Files.createDirectories(dir.resolve("evil/blah"));
        String touch = "#!/bin/sh\ntouch " + canary + "\necho '#SBATCH --uid=0 PWN'\n";
        for (String tool : List.of("socat", "env", "timeout", "find", "printf", "cat")) {
            Files.writeString(evil.resolve(tool), touch);
            Files.setPosixFilePermissions(evil.resolve(tool), PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Path common = evil.resolve("vmgrid-hook-common.sh");
        Files.writeString(common, "vmgrid_blah_hook() { touch " + canary + "; echo '#SBATCH --uid=0 PWN'; }\n");
        Files.setPosixFilePermissions(common, PosixFilePermissions.fromString("rw-rw-rw-"));
        // a user's own upload (e.g. an input sandbox on the CE): not writable by others, but not root's
        Path upload = Files.createDirectories(dir.resolve("upload/blah"));
        Files.copy(common, upload.resolve("vmgrid-hook-common.sh"));
        Files.setPosixFilePermissions(upload.resolve("vmgrid-hook-common.sh"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setOwner(upload.resolve("vmgrid-hook-common.sh"),
                upload.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        String vm = BlahHookHarness.vmRequest(TestImages.UUID, 1024, 1, "none");
        List<String> hostile = List.of(
                "VMGRID_HOME=" + BlahHookHarness.singleQuoted(upload.getParent().toString()) + "\n" + vm,
                "PATH=" + BlahHookHarness.singleQuoted(evil.toString()) + "\n" + vm,
                "IFS='0123456789-'\n" + vm,
                "VMGRID_HOME=" + BlahHookHarness.singleQuoted(evil.getParent().toString()) + "\n" + vm,
                "VMGRID_HOME='$(touch " + canary + ")'\n" + vm,
                "VMGRID_HOOK_SOCKET='/tmp/x,fork'\n" + vm,
                "VMGRID_HOOK_SOCKET='relative.sock'\n" + vm,
                "VMGRID_HOOK_SOCKET=" + BlahHookHarness.singleQuoted(evil.resolve("socat").toString()) + "\n" + vm,
                "vmgrid_hook_common=" + BlahHookHarness.singleQuoted(common.toString()) + "\n" + vm,
                "LD_PRELOAD='/nonexistent/PWN.so'\n" + vm);
        for (Lrms lrms : Lrms.values()) {
            for (String request : hostile) {
                assertSafe(lrms, blah.run(lrms, request), lrms + " " + request);
            }
        }
    }

    /**
     * Hostile VO and FQAN values as the request file may carry them (a site passing them with
     * blah_pass_submit_attributes), also as arrays: refused as bad requests, never echoed or run,
     * whatever the site's VO policy (here the example site's: dteam may use the test image).
     */
    @Test
    void hostileVosAndFqansAreRefusedThroughEveryHook() throws IOException {
        PolicySection policy = new PolicySection(Map.of("dteam", List.of("debian-test"), "atlas", List.of("*")), true);
        try (BlahHookHarness policed = new BlahHookHarness(Files.createDirectories(dir.resolve("policed")),
                new HookAdmission(new FixedCatalog(), BlahHookHarness.LIMITS,
                        new VoPolicy(policy, Map.of("debian-test", TestImages.UUID)), TestRenderers.directiveEncoder()))) {
            String vm = BlahHookHarness.vmRequest(TestImages.UUID, 1024, 1, "none");
            // request -> whether it must be refused (a corpus value may happen to be a well-formed name, e.g. "xPWN")
            Map<String, Boolean> hostile = new LinkedHashMap<>();
            for (String bad : corpus()) {
                hostile.put("VirtualOrganisation=" + BlahHookHarness.singleQuoted(bad) + "\n" + vm,
                        !PolicySection.VO.matcher(bad).matches() || !bad.equals("dteam"));
                hostile.put("VirtualOrganisation='dteam'\nx509UserProxyFQAN=" + BlahHookHarness.singleQuoted("/dteam/" + bad)
                        + "\n" + vm, !SubmitterIdentity.FQAN.matcher("/dteam/" + bad).matches());
            }
            hostile.put("VirtualOrganisation='dteam PWN'\n" + vm, true);
            hostile.put("VirtualOrganisation[0]='dteam'\nVirtualOrganisation[1]='atlasPWN'\n" + vm, true);
            hostile.put("x509UserProxyFQAN[0]='/dteam'\nx509UserProxyFQAN[1]='/atlas/PWN'\n" + vm, true);
            hostile.put("VirtualOrganisation='cms'\nx509UserProxyFQAN='/dteam/Role=NULL'\n" + vm, true);
            hostile.put("x509UserProxyFQAN='/DC=org/CN=PWN,/dteam'\n" + vm, true);
            for (Lrms lrms : Lrms.values()) {
                for (Map.Entry<String, Boolean> h : hostile.entrySet()) {
                    BlahHookHarness.HookRun run = policed.run(lrms, h.getKey());
                    assertSafe(lrms, run, lrms + " " + h.getKey());
                    assertEquals(h.getValue(), run.stdout().contains("vmgrid-refused") || run.stdout().contains("VmgridRefused"),
                            lrms + " " + h.getKey() + ": " + run.stdout());
                }
                BlahHookHarness.HookRun dteam = policed.run(lrms, "VirtualOrganisation='dteam'\n"
                        + "x509UserProxyFQAN='/dteam/Role=NULL/Capability=NULL'\n" + vm);
                assertSafe(lrms, dteam, lrms + " dteam");
                assertFalse(dteam.stdout().contains("efused"), dteam.stdout());
            }
        }
    }
}
