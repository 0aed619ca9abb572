package org.vmgrid.admission;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vmgrid.api.Admission;
import org.vmgrid.api.JobContext;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.Verdict;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.testing.Fuzz;
import org.vmgrid.testing.HostileText;

/**
 * The JDL reader and the site's admission under 120,000 generated inputs (fixed seed, so a failure
 * is reproducible): mutations of a corpus of real-shaped JDLs (characters deleted, inserted,
 * replaced; hostile values spliced in; slices duplicated, swapped and cut; deep nesting) and random
 * text. Every input ends in exactly one verdict with a one-line reason unless accepted, never in an
 * exception; an accepted VM request carries only safe directives. The method's timeout is the hang
 * guard (generous: the inputs take a few seconds together).
 */
class AdmissionFuzzTest {

    static final List<String> SEEDS = List.of(
            "[ Executable = \"/bin/sh\"; Arguments = \"-c 'echo hi'\"; StdOutput = \"out\"; OutputSandbox = { \"out\" };"
                    + " VirtualMachine = [ Image = \"debian-test\"; Memory = 2048; CPUs = 2; Network = \"outbound\";"
                    + " UserData = \"#cloud-config\\n\"; ]; ]",
            "Executable = \"run.sh\"; CeRequirements = \"Member(\\\"VM-IMAGE-debian-test\\\", "
                    + "other.GlueHostApplicationSoftwareRunTimeEnvironment) && other.GlueCEPolicyMaxWallClockTime > 60\";",
            "[ Executable = \"x\"; Requirements = Member(\"VM-IMAGE-" + TestCatalog.UUID + "\", other.GlueHostApplicationSoftwareRunTimeEnvironment)"
                    + " && (other.X =?= undefined || -1 < 2 ? true : false); Environment = { \"A=1\", \"B=2\" }; ]",
            "[ Type = \"Job\"; JobType = \"Normal\"; Executable = \"/usr/bin/env\"; StdOutput = \"std.out\"; StdError = \"std.err\";"
                    + " InputSandbox = { \"gsiftp://se.example.org/in.dat\" }; OutputSandbox = { \"std.out\", \"std.err\" };"
                    + " RetryCount = 3; VirtualMachine = [ Image = \"" + TestCatalog.UUID + "\"; Memory = 512; ]; ]",
            "[ Executable = \"a.sh\"; VirtualMachine = [ Image = \"debian-test\"; Network = \"none\"; CPUs = 1 ];"
                    + " CeRequirements = \"other.GlueCEStateStatus == \\\"Production\\\"\"; MyProxyServer = \"px.example.org\"; ]",
            "[ Executable = \"plain.sh\"; Arguments = \"1 2 3\"; Requirements = other.GlueCEStateStatus == \"Production\"; ]");
    static final String ALPHABET = "[]{}();,.=\"\\!&|<>?:+-*/%#\n\t aAzZ09VMvm_-IMAGE\u0000\u00e9\u20ac\u2028\ud83d";
    /** Tokens spliced in whole: the hostile values and the grammar's keywords. */
    static final List<String> TOKENS;

    static {
        List<String> t = new ArrayList<>(java.util.stream.Stream.concat(InjectionCorpusTest.HOSTILE.stream(), HostileText.VALUES.stream()).map(v -> v.length() > 200 ? v.substring(0, 200) : v)
                .toList());
        t.addAll(List.of("VirtualMachine", "Image", "Memory", "CPUs", "Network", "UserData", "VM-IMAGE-", "Member(",
                "other.GlueHostApplicationSoftwareRunTimeEnvironment", "CeRequirements", "Requirements", "undefined",
                "error", "true", "false", "=?=", "=!=", "9223372036854775808", "-2147483649", "1e308", "0x10", "\\\"",
                "\"\"\"", "[ ]", "{ }", "/*", "*/", "//", ";;", "\ufeff"));
        TOKENS = List.copyOf(t);
    }

    private final SiteAdmission site = new SiteAdmission(SiteConfig.builtIn(), TestCatalog.catalog(), SiteAdmissionTest.NOW);
    private final Random random = new Random(31337);
    private final Map<Verdict, Integer> seen = new EnumMap<>(Verdict.class);

    private void check(String jdl) {
        Admission a;
        try {
            a = site.admit(jdl, new JobContext(Optional.of("dteam"), List.of(),
                    Lrms.values()[random.nextInt(Lrms.values().length)]));
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("admission threw on input " + Fuzz.show(jdl), e);
        }
        assertNotNull(a.verdict());
        if (a.verdict() != Verdict.ACCEPTED) {
            assertTrue(!a.reason().isBlank(), "a refusal says why: " + Fuzz.show(jdl));
            assertTrue(a.vm().isEmpty() && a.directives().isEmpty(), "a refusal carries no VM: " + Fuzz.show(jdl));
        }
        for (String line : a.directives()) {
            if (!InjectionCorpusTest.SAFE_LINE.matcher(line).matches()) {
                fail("unsafe directive " + Fuzz.show(line) + " from " + Fuzz.show(jdl));
            }
        }
        seen.merge(a.verdict(), 1, Integer::sum);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void mutatedJdlsAlwaysGetAVerdict() {
        Fuzz fuzz = new Fuzz(random, ALPHABET, TOKENS, "[", "]");
        for (int i = 0; i < 100_000; i++) {
            check(fuzz.mutate(SEEDS.get(random.nextInt(SEEDS.size())), SEEDS));
        }
        assertTrue(seen.getOrDefault(Verdict.ACCEPTED, 0) > 1000 && seen.getOrDefault(Verdict.MALFORMED, 0) > 1000
                && seen.getOrDefault(Verdict.REFUSED, 0) > 1000, "mutations reach all three verdicts: " + seen);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void randomTextAlwaysGetsAVerdict() {
        Fuzz fuzz = new Fuzz(random, ALPHABET, TOKENS, "[", "]");
        for (int i = 0; i < 20_000; i++) {
            check(fuzz.random(200));
        }
    }
}
