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
import org.vmgrid.blahservice.BlahHookHarness.Blah;
import org.vmgrid.config.PolicySection;
import org.vmgrid.decision.Fqan;

/**
 * Everything a grid user can put into the request file, through every hook and every way BLAH runs
 * it: user values in every VM position, and assignments to any variable (the shell's own, the
 * hook's own, arrays). Nothing is executed (no canary file appears), nothing of the user's text
 * reaches the submit script, every line printed is a well-formed directive of that batch system, a
 * VM request gets its directives or a refusal (never nothing) and a plain job gets nothing.
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
                "print #SBATCH --uid=0 PWN", "VM-IMAGE-" + TestImages.UUID + "PWN");
    }

    private static void assertSafe(Lrms lrms, BlahHookHarness.HookRun run, String what) {
        assertFalse(Files.exists(canary), "executed user text: " + what);
        if (!run.blah().dropsStderr()) {
            assertEquals(0, run.exitCode(), what + ": " + run.stderr());
        }
        assertFalse(run.stdout().contains("PWN"), what + " reached the submit script: " + run.stdout());
        for (String line : run.lines()) {
            assertTrue(LINE.get(lrms).matcher(line).matches(), what + ": not a clean " + lrms + " line: " + line);
        }
    }

    private static void assertVm(Lrms lrms, BlahHookHarness.HookRun run, String what) {
        assertSafe(lrms, run, what);
        assertFalse(run.lines().isEmpty(), run.blah() + " " + what + ": a VM request must print directives or a refusal");
    }

    private static void assertPlain(BlahHookHarness.HookRun run, String what) {
        assertFalse(Files.exists(canary), "executed user text: " + what);
        assertEquals("", run.stdout(), run.blah() + " " + what + ": a plain job must get nothing");
        if (!run.blah().dropsStderr()) {
            assertEquals(0, run.exitCode(), what + ": " + run.stderr());
        }
    }

    @Test
    void userValuesInEveryPositionThroughEveryHook() throws IOException {
        String tag = "GlueHostApplicationSoftwareRunTimeEnvironment";
        String image = "\"VM-IMAGE-" + TestImages.UUID + "\"";
        for (String bad : corpus()) {
            String q = BlahHookHarness.classAdString(bad);
            List<String> requests = new ArrayList<>();
            requests.add(BlahHookHarness.requestFile(Map.of(), Map.of(tag, List.of(q))));
            requests.add(BlahHookHarness.requestFile(Map.of(), Map.of(tag, List.of(image, q))));
            for (String attr : List.of("VmgridMemory", "VmgridCPUs", "VmgridNetwork", "VmgridMemory_Min")) {
                for (String value : List.of(q, bad)) {
                    Map<String, String> s = new LinkedHashMap<>();
                    s.put(attr, value);
                    requests.add(BlahHookHarness.requestFile(s, Map.of(tag, List.of(image))));
                }
            }
            for (Blah how : Blah.SUPPORTED) {
                for (Lrms lrms : List.of(Lrms.SLURM, Lrms.SGE, Lrms.CONDOR)) {
                    for (String request : requests) {
                        BlahHookHarness.HookRun run = blah.run(how, lrms, request);
                        if (request.contains("VM-IMAGE-") || request.contains("Vmgrid")) {
                            assertVm(lrms, run, request);
                        } else {
                            assertPlain(run, request);
                        }
                    }
                }
            }
        }
    }

    /**
     * Assignments a request file can make to the shell's own variables, the hook's own, and arrays:
     * the hook does exactly what it does without them. (Assignments that stop the shell before the
     * hook runs at all, to a read-only variable such as UID or SHELLOPTS in bash's POSIX mode or a
     * non-number to OPTIND in dash, are refused at the CE for VM jobs: SiteAdmissionTest.)
     */
    @Test
    void assignmentsToAnyVariableChangeNothing() throws IOException {
        Path evil = Files.createDirectories(dir.resolve("evil"));
        String touch = "#!/bin/sh\ntouch " + canary + "\necho '#SBATCH --uid=0 PWN'\n";
        for (String tool : List.of("socat", "env", "cat", "printf", "read", "vmgrid-hook-client", "source")) {
            Files.writeString(evil.resolve(tool), touch);
            Files.setPosixFilePermissions(evil.resolve(tool), PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Path rc = evil.resolve("rc.sh");
        Files.writeString(rc, "touch " + canary + "\necho '#SBATCH --uid=0 PWN'\n");
        // a file a user could upload to the CE, looking like BLAH's script but asking for nothing
        Path decoy = evil.resolve("decoy-temp_req_script");
        Files.writeString(decoy, "#!/bin/sh\nQueue='grid'\nsource /x/slurm_local_submit_attributes.sh\n");
        String vm = BlahHookHarness.vmRequest(TestImages.UUID, 1024, 1, "none");
        String plain = "Queue='grid'\nGlueHostMainMemoryRAMSize_Min='2000'\n";
        List<String> hostile = List.of(
                "PATH='" + evil + "'", "PATH='\"" + evil + "\"'", "PATH[0]='" + evil + "'", "IFS='0123456789-'",
                "IFS='\"/\"'", "IFS[0]='V'", "IFS='\n'".replace("\n", ""), "FUNCNEST='1'", "FUNCNEST='\"1\"'",
                "ENV='" + rc + "'", "BASH_ENV='" + rc + "'", "POSIXLY_CORRECT='1'", "TMOUT='0.000001'", "TMOUT='1'",
                "BASH_ARGV0='" + decoy + "'", "BASH_ARGV0='\"/nonexistent\"'", "LC_ALL='\"tr_TR.UTF-8\"'",
                "LANG='tr_TR.UTF-8'", "CDPATH='/'", "GLOBIGNORE='*'", "BASH_COMPAT='31'", "TMPDIR='/nonexistent'",
                "HOME='/nonexistent'", "LD_PRELOAD='/nonexistent/PWN.so'", "SHELL='" + evil.resolve("socat") + "'",
                "vmgrid_socket='" + evil.resolve("socat") + "'", "vmgrid_client='" + evil.resolve("socat") + "'",
                "vmgrid_vm=''", "vmgrid_blah='1'", "vmgrid_out='#SBATCH --uid=0 PWN'", "vmgrid_answer='print PWN'",
                "vmgrid_nl='V'", "VMGRID_HOME='" + evil + "'", "VMGRID_HOOK_SOCKET='/tmp/x,fork'");
        for (Blah how : Blah.SUPPORTED) {
            for (Lrms lrms : List.of(Lrms.SLURM, Lrms.PBS, Lrms.CONDOR)) {
                for (String h : hostile) {
                    // before and after the request's own terms: BLAH writes the unwound terms in expression order
                    assertVm(lrms, blah.run(how, lrms, h + "\n" + vm), h + " then a VM request");
                    assertVm(lrms, blah.run(how, lrms, vm + h + "\n"), "a VM request then " + h);
                    if (!h.toLowerCase(java.util.Locale.ROOT).startsWith("vmgrid")) {
                        assertPlain(blah.run(how, lrms, h + "\n" + plain), h + " in a plain job");
                    }
                }
                BlahHookHarness.HookRun clean = blah.run(how, lrms, "FUNCNEST='1'\nIFS='0123456789-'\nPATH='" + evil + "'\n"
                        + vm);
                assertFalse(clean.stdout().contains("refused") || clean.stdout().contains("Refused"), clean.stdout());
            }
        }
    }

    /**
     * Hostile VO and FQAN values as BLAH's request file may carry them: refused as bad requests,
     * never echoed or run, whatever the site's VO policy (here: dteam may use the test image).
     */
    @Test
    void hostileVosAndFqansAreRefusedThroughEveryHook() throws IOException {
        PolicySection policy = new PolicySection(Map.of("dteam", List.of("debian-test"), "atlas", List.of("*")), true);
        try (BlahHookHarness policed = new BlahHookHarness(Files.createDirectories(dir.resolve("policed")),
                TestRenderers.admission(new FixedCatalog(), BlahHookHarness.LIMITS, policy,
                        Map.of("debian-test", TestImages.UUID)))) {
            String vm = BlahHookHarness.vmRequest(TestImages.UUID, 1024, 1, "none");
            // request -> whether it must be refused (a corpus value may happen to be a well-formed name)
            Map<String, Boolean> hostile = new LinkedHashMap<>();
            for (String bad : corpus()) {
                String noQuotes = bad.replace("'", "");
                hostile.put("VirtualOrganisation='" + noQuotes + "'\n" + vm, !noQuotes.equals("dteam"));
                hostile.put("VirtualOrganisation='dteam'\nx509UserProxyFQAN='\"userFQAN=/dteam/" + noQuotes + "\"'\n" + vm,
                        !Fqan.PATTERN.matcher("/dteam/" + noQuotes).matches());
            }
            hostile.put("VirtualOrganisation='dteam PWN'\n" + vm, true);
            hostile.put("VirtualOrganisation='dteam'\nVirtualOrganisation='atlasPWN'\n" + vm, true);
            hostile.put("VirtualOrganisation='dteam'\nx509UserProxyFQAN='\"userFQAN=/dteam\" \"userFQAN=/atlas/PWN\"x'\n" + vm,
                    true);
            hostile.put("VirtualOrganisation='cms'\nx509UserProxyFQAN='\"userFQAN=/dteam/Role=NULL\"'\n" + vm, true);
            hostile.put("x509UserProxyFQAN='/DC=org/CN=PWN,/dteam'\n" + vm, true);
            hostile.put("x509UserProxyFQAN='\"userDN=/DC=org/CN=PWN\"'\n" + vm, true);
            for (Blah how : Blah.SUPPORTED) {
                for (Lrms lrms : List.of(Lrms.SLURM, Lrms.LSF)) {
                    for (Map.Entry<String, Boolean> h : hostile.entrySet()) {
                        BlahHookHarness.HookRun run = policed.run(how, lrms, h.getKey());
                        assertVm(lrms, run, lrms + " " + h.getKey());
                        assertEquals(h.getValue(), run.stdout().contains("vmgrid-refused"),
                                how + " " + lrms + " " + h.getKey() + ": " + run.stdout());
                    }
                    BlahHookHarness.HookRun dteam = policed.run(how, lrms, BlahHookHarness.passedIdentity("dteam") + vm);
                    assertVm(lrms, dteam, lrms + " dteam");
                    assertFalse(dteam.stdout().contains("efused"), dteam.stdout());
                }
            }
        }
    }
}
