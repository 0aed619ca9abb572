package org.vmgrid.admission;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.Admission;
import org.vmgrid.api.JobContext;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.Verdict;
import org.vmgrid.config.SiteConfig;

/** Random and mutated JDLs always end in exactly one of the three verdicts, never in an exception. */
class AdmissionFuzzTest {

    static final List<String> SEEDS = List.of(
            "[ Executable = \"/bin/sh\"; Arguments = \"-c 'echo hi'\"; StdOutput = \"out\"; OutputSandbox = { \"out\" };"
                    + " VirtualMachine = [ Image = \"debian-test\"; Memory = 2048; CPUs = 2; Network = \"outbound\";"
                    + " UserData = \"#cloud-config\\n\"; ]; ]",
            "Executable = \"run.sh\"; CeRequirements = \"Member(\\\"VM-IMAGE-debian-test\\\", "
                    + "other.GlueHostApplicationSoftwareRunTimeEnvironment) && other.GlueCEPolicyMaxWallClockTime > 60\";",
            "[ Executable = \"x\"; Requirements = Member(\"VM-IMAGE-" + TestCatalog.UUID + "\", other.GlueHostApplicationSoftwareRunTimeEnvironment)"
                    + " && (other.X =?= undefined || -1 < 2 ? true : false); Environment = { \"A=1\", \"B=2\" }; ]");
    static final String ALPHABET = "[]{}();,.=\"\\!&|<>?:+-*/%#\n\t aAzZ09VMvm_-IMAGE\u0000\u00e9\u20ac";

    private final SiteAdmission site = new SiteAdmission(SiteConfig.builtIn(), TestCatalog.catalog(), SiteAdmissionTest.NOW);
    private final Random random = new Random(31337);
    private final Map<Verdict, Integer> seen = new EnumMap<>(Verdict.class);

    private void check(String jdl) {
        Admission a = site.admit(jdl, new JobContext(Optional.of("dteam"), List.of(),
                Lrms.values()[random.nextInt(Lrms.values().length)]));
        assertNotNull(a.verdict());
        assertTrue(a.verdict() == Verdict.ACCEPTED || !a.reason().isBlank(), jdl);
        seen.merge(a.verdict(), 1, Integer::sum);
    }

    @Test
    void mutatedJdlsAlwaysGetAVerdict() {
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
            int edits = 1 + random.nextInt(4);
            for (int k = 0; k < edits && b.length() > 0; k++) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    default -> b.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            check(b.toString());
        }
        assertTrue(seen.getOrDefault(Verdict.ACCEPTED, 0) > 0 && seen.getOrDefault(Verdict.MALFORMED, 0) > 0
                && seen.getOrDefault(Verdict.REFUSED, 0) > 0, "mutations reach all three verdicts: " + seen);
    }

    @Test
    void randomTextAlwaysGetsAVerdict() {
        for (int i = 0; i < 5_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(120);
            for (int k = 0; k < n; k++) {
                b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            check(b.toString());
        }
    }
}
