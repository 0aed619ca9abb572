package org.vmgrid.pilot.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmgrid.pilot.internal.libvirt.Hypervisor;
import org.vmgrid.pilot.internal.libvirt.LabelledDomain;

class ReaperTest {

    @Test
    void reapsOnlyDomainsWhosePilotIsGoneWithTheirJobDirectories(@TempDir Path state) throws Exception {
        Hypervisor hv = mock(Hypervisor.class);
        when(hv.labelledDomains()).thenReturn(List.of(new LabelledDomain("vmgrid-dead", "dead", 100, true),
                new LabelledDomain("vmgrid-live", "live", 200, true), new LabelledDomain("vmgrid-../x", "../x", 100, false)));
        Files.createDirectories(state.resolve("dead"));
        Files.writeString(state.resolve("dead/overlay.qcow2"), "x");
        Files.createDirectories(state.resolve("live"));
        List<String> reaped = new Reaper(hv, state, pid -> pid == 200, new AccountingLog(state.resolveSibling("acct")),
                Clock.systemUTC(), 300).reap();
        assertEquals(List.of("vmgrid-dead", "vmgrid-../x"), reaped);
        verify(hv).destroy("vmgrid-dead");
        verify(hv).undefine("vmgrid-dead");
        verify(hv, never()).destroy("vmgrid-live");
        assertFalse(Files.exists(state.resolve("dead")));
        assertTrue(Files.exists(state.resolve("live")));
        assertTrue(Files.exists(state.getParent()), "a label that is no job id never names a directory to remove");
    }

    @Test
    void aJobWhosePilotDiedGetsItsAccountingRecordAndItsFilesGoWhetherOrNotItsVmHadStarted(@TempDir Path tmp)
            throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        Path acct = tmp.resolve("accounting.jsonl");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        // a VM that was running for a pilot that is gone; a job still preparing (no VM yet) of another
        // dead pilot; a job of a live pilot
        record(state, new JobRecord("vm", "11111111-2222-4333-8444-555555555555", "games", 5, Optional.of("job_42"), 128,
                1, start, 100, Optional.of("gsiftp://ce.example.org:2811/jobs/abc"), "qemu"));
        record(state, new JobRecord("prep", "11111111-2222-4333-8444-555555555555", "games", 5, Optional.empty(), 256,
                2, start, 101, Optional.empty()));
        record(state, new JobRecord("live", "11111111-2222-4333-8444-555555555555", "games", 5, Optional.empty(), 128,
                1, start, 200, Optional.empty()));
        Files.createDirectories(state.resolve(".console"));
        Hypervisor hv = mock(Hypervisor.class);
        when(hv.labelledDomains()).thenReturn(List.of(new LabelledDomain("vmgrid-vm", "vm", 100, true),
                new LabelledDomain("vmgrid-live", "live", 200, true)));
        Clock at = Clock.fixed(start.plusSeconds(90), ZoneOffset.UTC);

        assertEquals(List.of("vmgrid-vm"), new Reaper(hv, state, pid -> pid == 200, new AccountingLog(acct), at, 300)
                .reap());

        verify(hv).destroy("vmgrid-vm");
        verify(hv, never()).destroy("vmgrid-live");
        assertFalse(Files.exists(state.resolve("vm")));
        assertFalse(Files.exists(state.resolve("prep")));
        assertTrue(Files.exists(state.resolve("live")));
        assertTrue(Files.exists(state.resolve(".console")), "the pilot's own directories stay");
        List<String> lines = Files.readAllLines(acct);
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("{\"job\":\"vm\",\"image\":\"11111111-2222-4333-8444-555555555555\",\"hypervisor\":\"qemu\","
                + "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-01-01T00:01:30Z\",\"wallSeconds\":90.000,"
                + "\"cpuSeconds\":0.000,\"prepareSeconds\":0.000,\"exitCode\":null,\"failure\":\"host\",\"reason\":"
                + "\"the pilot (PID 100) that ran job vm ended before the job did (killed or crashed), so the job's result "
                + "is unknown; its VM was destroyed and its files removed when pilot PID 300 started\",\"user\":\"games\","
                + "\"uid\":5,\"batchJob\":\"job_42\",\"memoryMiB\":128,\"cpus\":1,\"ceJob\":\"gsiftp://ce.example.org:2811/jobs/abc\"}", lines.stream()
                .filter(l -> l.startsWith("{\"job\":\"vm\"")).findFirst().orElseThrow());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("{\"job\":\"prep\"") && l.contains("\"memoryMiB\":256")),
                lines.toString());
    }

    @Test
    void aRecordThatNamesAnotherJobOrCannotBeReadLeavesItsDirectoryAlone(@TempDir Path tmp) throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        record(state, new JobRecord("other", "i", "games", 5, Optional.empty(), 128, 1, Instant.EPOCH, 100, Optional.empty()));
        Files.move(state.resolve("other"), state.resolve("moved"));
        Files.createDirectories(state.resolve("garbled"));
        Files.writeString(state.resolve("garbled/job.properties"), "job=garbled\npilotPid=x\n");
        Hypervisor hv = mock(Hypervisor.class);
        when(hv.labelledDomains()).thenReturn(List.of());
        new Reaper(hv, state, pid -> false, new AccountingLog(tmp.resolve("acct")), Clock.systemUTC(), 300).reap();
        assertTrue(Files.exists(state.resolve("moved")));
        assertTrue(Files.exists(state.resolve("garbled")));
        assertFalse(Files.exists(tmp.resolve("acct")));
    }

    @Test
    void aRestoredVmIsKnownByItsLabelsJobNotItsGoldensNameAndItsJobIsAccounted(@TempDir Path tmp) throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        Path acct = tmp.resolve("accounting.jsonl");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        record(state, new JobRecord("warm1", "11111111-2222-4333-8444-555555555555", "games", 5, Optional.of("job_7"),
                128, 1, start, 100, Optional.empty()));
        record(state, new JobRecord("warm2", "11111111-2222-4333-8444-555555555555", "games", 5, Optional.empty(),
                128, 1, start, 200, Optional.empty()));
        Files.createDirectories(state.resolve("old")); // no record (from before records were kept)
        Hypervisor hv = mock(Hypervisor.class);
        // restored VMs are named after their goldens (and transient); their labels name the jobs
        when(hv.labelledDomains()).thenReturn(List.of(
                new LabelledDomain("vmgrid-golden-0123456789abcdef-0", "warm1", 100, true),
                new LabelledDomain("vmgrid-golden-0123456789abcdef-1", "warm2", 200, true),
                new LabelledDomain("vmgrid-golden-fedcba9876543210-0", "old", 100, true)));
        Clock at = Clock.fixed(start.plusSeconds(30), ZoneOffset.UTC);

        List<String> reaped = new Reaper(hv, state, pid -> pid == 200, new AccountingLog(acct), at, 300).reap();

        assertEquals(List.of("vmgrid-golden-0123456789abcdef-0", "vmgrid-golden-fedcba9876543210-0"), reaped);
        verify(hv).destroy("vmgrid-golden-0123456789abcdef-0");
        verify(hv, never()).destroy("vmgrid-golden-0123456789abcdef-1");
        verify(hv, never()).destroy("vmgrid-warm1");
        assertFalse(Files.exists(state.resolve("warm1")));
        assertFalse(Files.exists(state.resolve("old")), "its VM was reaped by its label");
        assertTrue(Files.exists(state.resolve("warm2")), "a live pilot's restored VM and files stay");
        List<String> lines = Files.readAllLines(acct);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("{\"job\":\"warm1\",") && lines.get(0).contains("\"failure\":\"host\"")
                && lines.get(0).contains("\"batchJob\":\"job_7\""), lines.get(0));
    }

    @Test
    void aGoldenBeingMadeIsNoJobItGoesUnaccountedWhenItsPilotIsGoneAndStaysWhileItLives(@TempDir Path tmp)
            throws Exception {
        Path state = Files.createDirectories(tmp.resolve("state"));
        Path acct = tmp.resolve("accounting.jsonl");
        // a build whose pilot died with its VM running; one whose pilot died before its VM was defined;
        // one of a live pilot, its VM not defined yet
        for (String[] b : new String[][] {{"golden-0123456789abcdef-0", "100"}, {"golden-0123456789abcdef-1", "101"},
                {"golden-fedcba9876543210-0", "200"}}) {
            Path d = Files.createDirectories(state.resolve(b[0]));
            BuildRecord.writeTo(d, Long.parseLong(b[1]));
            Files.writeString(d.resolve("overlay.qcow2"), "x");
        }
        Hypervisor hv = mock(Hypervisor.class);
        when(hv.labelledDomains()).thenReturn(List.of(
                new LabelledDomain("vmgrid-golden-0123456789abcdef-0", "golden-0123456789abcdef-0", 100, true)));

        List<String> reaped = new Reaper(hv, state, pid -> pid == 200, new AccountingLog(acct), Clock.systemUTC(), 300)
                .reap();

        assertEquals(List.of("vmgrid-golden-0123456789abcdef-0"), reaped, "not left running");
        verify(hv).destroy("vmgrid-golden-0123456789abcdef-0");
        verify(hv).undefine("vmgrid-golden-0123456789abcdef-0");
        assertFalse(Files.exists(state.resolve("golden-0123456789abcdef-0")), "not left on disk");
        assertFalse(Files.exists(state.resolve("golden-0123456789abcdef-1")));
        assertTrue(Files.exists(state.resolve("golden-fedcba9876543210-0")), "a live pilot's build goes on");
        assertFalse(Files.exists(acct), "a golden is no job: no accounting record");
    }

    private static void record(Path state, JobRecord r) throws Exception {
        Path d = Files.createDirectories(state.resolve(r.jobId()));
        r.writeTo(d);
        Files.writeString(d.resolve("overlay.qcow2"), "x");
    }

    @Test
    void thisProcessIsAliveAndAnImpossiblePidIsNot() {
        assertTrue(Reaper.processAlive(ProcessHandle.current().pid()));
        assertFalse(Reaper.processAlive(Long.MAX_VALUE));
    }
}
