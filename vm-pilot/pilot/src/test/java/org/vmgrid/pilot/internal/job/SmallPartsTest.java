package org.vmgrid.pilot.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.JobOutcome;
import org.vmgrid.pilot.JobUser;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.internal.domain.DomainType;

/** Hypervisor choice, slot limit and accounting record. */
class SmallPartsTest {

    static final String VMX = "processor : 0\nflags : fpu vme vmx sse\n";
    static final String PLAIN = "processor : 0\nflags : fpu vme sse hypervisor\n";

    @Test
    void autoTakesKvmOnlyWithVirtualisationFlagsAndAWorkingProbe() {
        assertEquals(DomainType.KVM, HypervisorChoice.choose("auto", VMX, () -> true));
        assertEquals(DomainType.QEMU, HypervisorChoice.choose("auto", VMX, () -> false));
        assertEquals(DomainType.QEMU, HypervisorChoice.choose("auto", PLAIN, () -> {
            throw new AssertionError("no probe boot without vmx/svm");
        }));
        assertEquals(DomainType.QEMU, HypervisorChoice.choose("qemu", VMX, () -> true));
        assertEquals(DomainType.KVM, HypervisorChoice.choose("kvm", "flags : svm\n", () -> false));
        PilotException e = assertThrows(PilotException.class, () -> HypervisorChoice.choose("kvm", PLAIN, () -> true));
        assertTrue(e.getMessage().contains("neither vmx nor svm"));
    }

    @Test
    void slotsAreLimitedAndFreedOnClose(@TempDir Path dir) throws Exception {
        SlotLimiter slots = new SlotLimiter(dir, 2, new SteppingClock(Duration.ofSeconds(1)));
        AutoCloseable a = slots.acquire("a", Duration.ofSeconds(3));
        AutoCloseable b = slots.acquire("b", Duration.ofSeconds(3));
        PilotException e = assertThrows(PilotException.class, () -> slots.acquire("c", Duration.ofSeconds(3)));
        assertEquals(FailureKind.HOST, e.kind());
        assertTrue(e.getMessage().contains("all 2 VM slots"), e.getMessage());
        a.close();
        slots.acquire("c", Duration.ofSeconds(3)).close();
        b.close();
    }

    @Test
    void accountingRecordIsOneJsonLineWithEveryField(@TempDir Path dir) throws Exception {
        JobOutcome o = new JobOutcome("j-1", Optional.empty(), Optional.of(FailureKind.BOOT), "quote \" and\nnewline",
                "qemu", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:02.5Z"), 1.25);
        AccountingLog log = new AccountingLog(dir.resolve("sub/acct.jsonl"));
        ImageDescriptor image = new ImageDescriptor("11111111-2222-4333-8444-555555555555", "t", "1",
                java.net.URI.create("file:///i"), 1, "a".repeat(128), java.net.URI.create("file:///l"),
                Instant.parse("2030-01-01T00:00:00Z"), java.util.List.of());
        PilotJob job = new PilotJob("j-1", new VmRequest(image, 512, 2, NetworkMode.NONE, ""), java.util.List.of("true"),
                java.util.Map.of(), dir, Duration.ofSeconds(1), new JobUser("pool001", 10001, 10002))
                .inBatchJob(Optional.of("4242")).ofCeJob(Optional.of("https://ce.example.org:443/arex/lvJMDm9eGKw9hwWo"));
        log.append(o, job, 0.0125);
        log.append(o, job.inBatchJob(Optional.empty()).ofCeJob(Optional.empty()), 0.0125);
        var lines = Files.readAllLines(dir.resolve("sub/acct.jsonl"));
        assertEquals(2, lines.size());
        assertEquals("{\"job\":\"j-1\",\"image\":\"11111111-2222-4333-8444-555555555555\",\"hypervisor\":\"qemu\","
                + "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-01-01T00:00:02.500Z\",\"wallSeconds\":2.500,"
                + "\"cpuSeconds\":1.250,\"prepareSeconds\":0.013,\"exitCode\":null,\"failure\":\"boot\",\"reason\":\"quote \\\" and\\nnewline\","
                + "\"user\":\"pool001\",\"uid\":10001,\"batchJob\":\"4242\",\"memoryMiB\":512,\"cpus\":2,"
                + "\"ceJob\":\"https://ce.example.org:443/arex/lvJMDm9eGKw9hwWo\"}",
                lines.get(0));
        assertTrue(lines.get(1).contains("\"batchJob\":null") && lines.get(1).endsWith(",\"ceJob\":null}"), lines.get(1));
        assertThrows(IllegalArgumentException.class, () -> job.ofCeJob(Optional.of("x\",\"exitCode\":0")),
                "a CE job id that would forge a field never reaches a record");
    }
}
