package org.vmgrid.batchhooks.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vmgrid.batchhooks.InstalledWrappers;
import org.vmgrid.batchhooks.RecordedJob;
import org.vmgrid.batchhooks.RecordedJob.Request;
import org.vmgrid.batchhooks.RecordedJob.Result;
import org.vmgrid.testing.Unprivileged;

/**
 * The shipped wrappers of the batch systems that cannot run here (PBS/Torque, LSF, HTCondor),
 * started exactly as each batch system's recorded job start says, with the VM request its CE
 * directives carry: the job runs in a VM of the project's appliance through the real resident
 * pilot service and a private libvirtd, its output and exit code those of the payload. Three VM
 * boots. (Plain jobs and refusals: {@code JobWrapperTest}.)
 */
class RecordedJobStarterIT {

    private static VmWorkerNode node;
    private static Path dir;
    private static Path wrappers;

    @BeforeAll
    static void startWorkerNode() throws Exception {
        node = VmWorkerNode.start("vmgrid-recorded-it");
        dir = Files.createTempDirectory(Path.of("/tmp"), "vmgrid-recorded-jobs");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        wrappers = InstalledWrappers.install(dir.resolve("batch"), node.launcher, node.serviceSocket);
        node.startPilotService();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            Unprivileged.deleteTree(dir);
        }
    }

    private static Request vm() {
        return new Request(node.appliance.uuid().toString(), "128", "1", "none");
    }

    /** Runs the recording's job with a VM request; checks what every VM job must show, answers its result. */
    private static Result runInVm(String recording, String entry, String script, List<String> args,
            java.util.function.UnaryOperator<Path> workdir)
            throws Exception {
        Path in = Files.createDirectories(dir.resolve(recording));
        int mark = node.serviceLogMark();
        Result r = RecordedJob.load(recording).run(in, wrappers.resolve(entry), script, args, vm(), Duration.ofMinutes(8));
        assertEquals(3, r.exitCode(), r + node.serviceLog());
        List<String> lines = r.stdout().lines().toList();
        assertTrue(lines.contains(node.appliance.kernelRelease()), "ran under the appliance's kernel: " + r);
        assertFalse(lines.contains(VmWorkerNode.hostKernel()), r.toString());
        assertEquals("", r.stderr());
        Path realWorkdir = workdir.apply(in).toRealPath();
        assertEquals("from-the-guest\n", Files.readString(realWorkdir.resolve("written.txt")),
                "a file the payload wrote in its working directory came back");
        node.awaitServiceLog(mark, Pattern.compile("vmgrid pilot service: job \\S+ of " + Unprivileged.POOL + " ended: exit 3\\b"
                + ".*"), Duration.ofSeconds(60));
        assertTrue(Files.readString(node.serviceLog).contains(", workdir " + realWorkdir + "\n"), node.serviceLog());
        assertEquals(List.of(), node.libvirt.domains(), "no domain left behind");
        assertEquals(List.of(), node.stateLeft(), "nothing of the job left in the pilot's state directory");
        return r;
    }

    @Test
    void aTorqueVmJobRunsItsScriptInTheVm() throws Exception {
        Result r = runInVm("torque-6.1-shell-pipe.job", "pbs-job-starter",
                "#!/bin/sh\nuname -r\necho \"job $PBS_JOBID\"\necho from-the-guest > written.txt\nexit 3\n", List.of(),
                RecordedJob::home);
        assertTrue(r.stdout().lines().toList().contains("job 4242"), r.toString());
    }

    @Test
    void anLsfVmJobRunsItsScriptInTheVm() throws Exception {
        Result r = runInVm("lsf-10.1-script-job.job", "lsf-job-starter",
                "#!/bin/sh\nuname -r\necho \"job $LSB_JOBID $0\"\necho from-the-guest > written.txt\nexit 3\n", List.of(),
                in -> RecordedJob.home(in).resolve("work"));
        assertTrue(r.stdout().contains("job 4242 " + RecordedJob.home(dir.resolve("lsf-10.1-script-job.job"))
                .resolve(".lsbatch/1767225600.4242.shell")), r.toString());
    }

    @Test
    void anHtcondorVmJobRunsItsExecutableInTheVmWithItsArguments() throws Exception {
        Result r = runInVm("htcondor-24-vanilla.job", "condor-job-wrapper",
                "#!/bin/sh\nuname -r\necho \"args $*\"\necho from-the-guest > written.txt\nexit 3\n",
                List.of("one", "two words"), RecordedJob::scratch);
        assertTrue(r.stdout().lines().toList().contains("args one two words"), r.toString());
    }
}
