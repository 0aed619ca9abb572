package org.vmgrid.arc;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vmgrid.api.Admission;
import org.vmgrid.api.Verdict;
import org.vmgrid.testing.Fuzz;
import org.vmgrid.testing.HostileText;

/**
 * The ARC door's reader of job descriptions (xRSL, and ADL for inputs that start with {@code <})
 * and its admission under 110,000 generated inputs (fixed seed): mutations of a corpus of xRSL
 * (characters, hostile values and the grammar's tokens spliced in, slices duplicated and cut,
 * deep nesting of lists and comments), a share of them as invalid UTF-8, and random text. Every
 * input is either read, then given one verdict (a reason when refused), or refused with an
 * {@link ArcDescriptionException} that says why; nothing else is thrown. The timeout is the hang guard.
 */
class ArcDescriptionFuzzTest {

    static final List<String> SEEDS = List.of(
            "&(executable=\"/bin/sh\")(arguments=\"-c\" \"echo \"\"hi\"\" it's\")\n (* a comment (with parentheses) *)\n"
                    + " (runTimeEnvironment = \"VMGRID/IMAGE/debian-test\")\n"
                    + " (RUNTIMEENVIRONMENT=\"ENV/VMGRID\" \"memory=512\" 'cpus=2' ^!network=none!^)\n"
                    + " (memory=300)(count=\"2\")(jobname=vm)",
            "&(executable=run.sh)(runtimeenvironment=\"VMGRID/IMAGE/" + ArcTestSite.UUID + "\")(stdout=out)(stderr=err)"
                    + "(inputfiles=(\"run.sh\" \"\"))(outputfiles=(\"out\" \"\"))(cputime=60)(walltime=\"1 hour\")",
            "&(executable=/bin/true)(runtimeenvironment>=\"APPS/HEP/ATLAS-21\")(environment=(A 1)(B \"$(X)\"))"
                    + "(join=yes)(gmlog=log)(queue=grid)",
            "&(executable=$(HOME)#/bin/x)(rsl_substitution=(X y))(runtimeenvironment=\"VMGRID/IMAGE/debian-test\")"
                    + "(runtimeenvironment=\"ENV/VMGRID\" \"network=outbound\" \"memory=1024\")(count=1)(countpernode=1)",
            "&(executable=\"plain.sh\")(arguments=1 2 3)(memory=2000)");
    static final String ALPHABET = "&|+()=<>!\"'^#$*/ \n\taAzZ09_-.VMGRIDIMAGEENV\u0000\u00e9\u20ac\u2028\ud83d";
    static final List<String> TOKENS;

    static {
        List<String> t = new ArrayList<>(HostileText.VALUES.stream().map(v -> v.length() > 200 ? v.substring(0, 200) : v)
                .toList());
        t.addAll(List.of("runtimeenvironment", "VMGRID/IMAGE/", "ENV/VMGRID", "memory=", "cpus=", "network=", "count",
                "(*", "*)", "^!", "!^", "$(", "#", "\"\"", "''", "9223372036854775808", "-1", "0x10", "1e9",
                "<?xml version=\"1.0\"?>", "<ActivityDescription>", "\ufeff"));
        TOKENS = List.copyOf(t);
    }

    private final ArcJobDescriptions reader = new ArcJobDescriptions();
    private final ArcAdmission admission = ArcTestSite.admission();
    private final Random random = new Random(4711);
    private final Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
    private int unreadable;

    private void check(byte[] description, String shown) {
        ArcJob job;
        try {
            job = reader.parse(description);
        } catch (ArcDescriptionException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a refusal says why: " + shown);
            unreadable++;
            return;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("reading threw " + e + " on input " + shown, e);
        }
        Admission a;
        try {
            a = admission.admit(job, ArcAdmissionTest.DTEAM);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("admission threw " + e + " on input " + shown, e);
        }
        assertNotNull(a.verdict());
        if (a.verdict() != Verdict.ACCEPTED) {
            assertTrue(!a.reason().isBlank() && a.vm().isEmpty(), "a refusal says why and carries no VM: " + shown);
        }
        verdicts.merge(a.verdict(), 1, Integer::sum);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void mutatedDescriptionsAreReadAndDecidedOrRefusedWithTheirReason() {
        Fuzz fuzz = new Fuzz(random, ALPHABET, TOKENS, "(", ")");
        for (int i = 0; i < 100_000; i++) {
            String text = fuzz.mutate(SEEDS.get(random.nextInt(SEEDS.size())), SEEDS);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(20) == 0 && bytes.length > 0) { // not UTF-8: a stray byte
                bytes[random.nextInt(bytes.length)] = (byte) (0x80 | random.nextInt(0x80));
            }
            check(bytes, Fuzz.show(text));
        }
        assertTrue(verdicts.getOrDefault(Verdict.ACCEPTED, 0) > 1000 && verdicts.getOrDefault(Verdict.REFUSED, 0) > 100
                && verdicts.getOrDefault(Verdict.MALFORMED, 0) > 1000 && unreadable > 1000,
                "mutations reach every outcome: " + verdicts + ", unreadable " + unreadable);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void randomTextIsReadAndDecidedOrRefused() {
        Fuzz fuzz = new Fuzz(random, ALPHABET, TOKENS, "(", ")");
        for (int i = 0; i < 10_000; i++) {
            String text = "&" + fuzz.random(200);
            check(text.getBytes(StandardCharsets.UTF_8), Fuzz.show(text));
        }
    }
}
