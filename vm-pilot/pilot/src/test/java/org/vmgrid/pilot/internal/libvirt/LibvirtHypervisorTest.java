package org.vmgrid.pilot.internal.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmgrid.api.NetworkMode;
import org.vmgrid.api.VmRequest;
import org.vmgrid.pilot.FailureKind;
import org.vmgrid.pilot.PilotException;
import org.vmgrid.pilot.PilotJob;
import org.vmgrid.pilot.internal.domain.Disk;
import org.vmgrid.pilot.internal.domain.DomainPlan;
import org.vmgrid.pilot.internal.domain.DomainType;
import org.vmgrid.pilot.internal.domain.DomainXmlEncoder;
import org.vmgrid.pilot.internal.domain.DomainXmlEncoderTest;
import org.vmgrid.pilot.internal.job.JobFiles;

/** The real libvirt calls against libvirt's in-process test driver (no daemon, no VM). */
class LibvirtHypervisorTest {

    private final LibvirtHypervisor hv = new LibvirtHypervisor("test:///default");

    @AfterEach
    void close() {
        hv.close();
    }

    private String xml(String jobId, long pid) {
        PilotJob job = new PilotJob(jobId, new VmRequest(DomainXmlEncoderTest.IMAGE_FOR_TESTS, 128, 1, NetworkMode.NONE, ""),
                List.of("true"), Map.of(), Path.of("/w"), java.time.Duration.ofSeconds(1));
        var d = new DomainPlan(NetworkMode.NONE, Optional.empty()).plan(job, new JobFiles(Path.of("/s/" + jobId), Path.of("/w")),
                new Disk.BaseImage(Path.of("/c/base.img"), "qcow2"), DomainType.QEMU, pid, hv.runsGuestsAsAnyUser());
        // the test driver knows only its own domain type; everything else is our real XML
        return new DomainXmlEncoder().encode(d).replaceFirst("type=\"qemu\"", "type=\"test\"");
    }

    @Test
    void definesStartsDestroysAndUndefinesALabelledDomain() {
        String name = hv.define(xml("t-1", 4242));
        assertEquals("vmgrid-t-1", name);
        assertFalse(hv.isRunning(name));
        hv.start(name);
        assertTrue(hv.isRunning(name));
        assertTrue(hv.cpuSeconds(name) >= 0);
        LabelledDomain l = hv.labelledDomains().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
        assertEquals("t-1", l.jobId());
        assertEquals(4242, l.pilotPid());
        assertTrue(l.active());
        hv.destroy(name);
        assertFalse(hv.isRunning(name));
        hv.undefine(name);
        assertTrue(hv.labelledDomains().stream().noneMatch(d -> d.name().equals(name)));
    }

    @Test
    void theReaperRemovesADomainWhosePilotIsGoneAndKeepsALiveOnes(@org.junit.jupiter.api.io.TempDir Path state) {
        long dead = (1L << 22) + 1; // above Linux's largest pid_max: no such process
        String orphan = hv.define(xml("orphan-1", dead));
        hv.start(orphan);
        String mine = hv.define(xml("mine-1", ProcessHandle.current().pid()));
        try {
            List<String> reaped = new org.vmgrid.pilot.internal.job.Reaper(hv, state,
                    org.vmgrid.pilot.internal.job.Reaper::processAlive, new org.vmgrid.pilot.internal.job.AccountingLog(
                            state.resolve("accounting.jsonl")), java.time.Clock.systemUTC(), 1).reap();
            assertEquals(List.of(orphan), reaped);
            assertFalse(hv.isRunning(orphan));
            assertTrue(hv.labelledDomains().stream().noneMatch(d -> d.name().equals(orphan)));
            assertTrue(hv.labelledDomains().stream().anyMatch(d -> d.name().equals(mine)));
        } finally {
            hv.destroy(orphan);
            hv.undefine(orphan);
            hv.undefine(mine);
        }
    }

    @Test
    void libvirtsStopEventWakesAWaiterAndTheDomainIsNoLongerRunning() throws Exception {
        String name = hv.define(xml("ev-1", 4242));
        hv.start(name);
        try {
            assertFalse(hv.awaitStop(name, 10), "a running domain did not stop");
            Thread stopper = new Thread(() -> hv.destroy(name));
            stopper.start();
            assertTrue(hv.awaitStop(name, 60_000), "libvirt's lifecycle event must tell the waiter");
            stopper.join();
            assertFalse(hv.isRunning(name));
            hv.start(name);
            assertTrue(hv.isRunning(name), "a restarted domain runs again, whatever events came before");
        } finally {
            hv.destroy(name);
            hv.undefine(name);
        }
    }

    @Test
    void domainsWithoutOurLabelAreNotListed() {
        // test:///default comes with one domain, "test", that is not ours
        assertTrue(hv.labelledDomains().stream().noneMatch(d -> d.name().equals("test")));
    }

    @Test
    void destroyAndUndefineOfAnUnknownDomainDoNothing() {
        hv.destroy("vmgrid-nope");
        hv.undefine("vmgrid-nope");
        assertFalse(hv.isRunning("vmgrid-nope"));
    }

    @Test
    void startingAnUnknownDomainIsAHostFailureNamingIt() {
        PilotException e = assertThrows(PilotException.class, () -> hv.start("vmgrid-missing"));
        assertEquals(FailureKind.HOST, e.kind());
        assertTrue(e.getMessage().contains("vmgrid-missing"), e.getMessage());
    }

    @Test
    void anUnreachableDaemonIsAHostFailureNamingTheUri() {
        PilotException e = assertThrows(PilotException.class,
                () -> new LibvirtHypervisor("qemu+unix:///system?socket=/nonexistent/libvirt-sock"));
        assertTrue(e.getMessage().contains("/nonexistent/libvirt-sock"), e.getMessage());
    }
}
