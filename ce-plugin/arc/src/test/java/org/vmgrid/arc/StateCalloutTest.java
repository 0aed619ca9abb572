package org.vmgrid.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateCalloutTest {

    static final String ID = "lvJMDmrWLtAoOSAtDmABFKDmABFKDmABFKDm9eGKDmCBFKDmw9hwWo";
    @TempDir
    Path control;
    private final StateCallout callout = new StateCallout(ArcTestSite::admission, new ArcJobDescriptions());

    private void write(String suffix, String text) throws IOException {
        Files.writeString(control.resolve("job." + ID + "." + suffix), text);
    }

    private void vmJob(String description, String gramiRtes) throws IOException {
        write("description", description);
        write("grami", "joboption_arg_0='/bin/sh'\njoboption_memory=\n" + gramiRtes + "joboption_queue='grid'\n");
        write("local", "globalid=" + ID + "\nlrms=SLURM\nqueue=grid\nvoms=/dteam/Role=NULL/Capability=NULL\n");
    }

    @Test
    void aPlainJobPassesWithoutItsDescriptionBeingRead() throws IOException {
        write("grami", "joboption_arg_0='/bin/sh'\njoboption_runtime_0='ENV/PROXY'\n");
        write("description", "not a description at all <<<");
        assertEquals(new StateCallout.Answer(true, ""), callout.decide(control, ID));
    }

    @Test
    void withoutAGramiADescriptionThatDoesNotMentionVmgridPasses() throws IOException {
        write("description", "&(executable=/bin/true)(broken");
        assertTrue(callout.decide(control, ID).admitted());
        write("description", "&(executable=/bin/true)(runtimeenvironment=\"VMGRID/IMAGE/windows-xp\")");
        assertFalse(callout.decide(control, ID).admitted(), "without a grami, the description decides");
    }

    @Test
    void anAcceptedVmJobPasses() throws IOException {
        vmJob("&(executable=/bin/sh)(runtimeenvironment=\"VMGRID/IMAGE/debian-test\")"
                + "(runtimeenvironment=\"ENV/VMGRID\" \"memory=512\")",
                "joboption_runtime_0='VMGRID/IMAGE/debian-test'\njoboption_runtime_1='ENV/VMGRID'\n"
                        + "joboption_runtime_1_1='memory=512'\n");
        assertEquals(new StateCallout.Answer(true, ""), callout.decide(control, ID));
    }

    @Test
    void aRefusedVmJobFailsWithOneLineForArcstat() throws IOException {
        vmJob("<?xml version=\"1.0\"?><adl:ActivityDescription xmlns:adl=\"http://www.eu-emi.eu/es/2010/12/adl\">"
                + "<adl:Resources><adl:RuntimeEnvironment><adl:Name>VMGRID/IMAGE/debian-test</adl:Name>"
                + "</adl:RuntimeEnvironment><adl:RuntimeEnvironment><adl:Name>ENV/VMGRID</adl:Name>"
                + "<adl:Option>memory=65536</adl:Option></adl:RuntimeEnvironment></adl:Resources></adl:ActivityDescription>",
                "joboption_runtime_0='VMGRID/IMAGE/debian-test'\njoboption_runtime_1='ENV/VMGRID'\n"
                        + "joboption_runtime_1_1='memory=65536'\n");
        StateCallout.Answer a = callout.decide(control, ID);
        assertFalse(a.admitted());
        assertEquals("vmgrid: VM request refused: ENV/VMGRID memory = 65536 MiB is outside what this site allows (96 to 4096 MiB); "
                + "ask for at most 4096", a.reason());
    }

    @Test
    void theVoIsTheSubmittersFromArexsLocalFile() throws IOException {
        vmJob("&(executable=/bin/sh)(runtimeenvironment=\"VMGRID/IMAGE/debian-test\")",
                "joboption_runtime_0='VMGRID/IMAGE/debian-test'\n");
        write("local", "lrms=SLURM\nvoms=/cms/Role=NULL/Capability=NULL\n");
        StateCallout.Answer a = callout.decide(control, ID);
        assertFalse(a.admitted());
        assertTrue(a.reason().contains("cms"), a.reason());
    }

    @Test
    void aDescriptionThatDisagreesWithWhatArexReadIsRefused() throws IOException {
        vmJob("&(executable=/bin/sh)(runtimeenvironment=\"VMGRID/IMAGE/debian-test\")",
                "joboption_runtime_0='VMGRID/IMAGE/debian-test'\njoboption_runtime_1='ENV/VMGRID'\n"
                        + "joboption_runtime_1_1='memory=65536'\n");
        StateCallout.Answer a = callout.decide(control, ID);
        assertFalse(a.admitted());
        assertTrue(a.reason().startsWith("vmgrid: A-REX reads the job's vmgrid runtime environments as "
                + "(\"VMGRID/IMAGE/debian-test\") (\"ENV/VMGRID\" \"memory=65536\") but its description says "
                + "(\"VMGRID/IMAGE/debian-test\")"), a.reason());
    }

    @Test
    void unreadableVmRequestsAndOtherBatchSystemsAreRefused() throws IOException {
        vmJob("&(executable=/bin/sh)(runtimeenvironment=\"VMGRID/IMAGE/debian-test\"", "joboption_runtime_0='VMGRID/IMAGE/x'\n");
        assertTrue(callout.decide(control, ID).reason().startsWith("vmgrid: the VM request cannot be read: xRSL line 1"));
        vmJob("&(executable=/bin/sh)(runtimeenvironment=\"VMGRID/IMAGE/debian-test\")",
                "joboption_runtime_0='VMGRID/IMAGE/debian-test'\n");
        write("local", "lrms=PBS\n");
        assertEquals("vmgrid: this CE's batch system is PBS; vmgrid runs ARC's VM jobs on SLURM only",
                callout.decide(control, ID).reason());
        write("local", "lrms=SLURM\nvoms=/dteam/$(id)\n");
        StateCallout.Answer badFqan = callout.decide(control, ID);
        assertFalse(badFqan.admitted());
        assertTrue(badFqan.reason().startsWith("vmgrid: ") && badFqan.reason().contains("FQAN"), badFqan.reason());
    }

    @Test
    void aSiteThatCannotDecideRefusesVmJobsAndPassesPlainOnes() throws IOException {
        StateCallout broken = new StateCallout(() -> {
            throw new IllegalStateException("limits.properties line 3: memory.max = 'lots' is not allowed");
        }, new ArcJobDescriptions());
        write("grami", "joboption_runtime_0='ENV/PROXY'\n");
        assertTrue(broken.decide(control, ID).admitted());
        vmJob("&(executable=/bin/sh)(runtimeenvironment=\"VMGRID/IMAGE/debian-test\")",
                "joboption_runtime_0='VMGRID/IMAGE/debian-test'\n");
        assertEquals("vmgrid: the site cannot decide VM jobs now: limits.properties line 3: memory.max = 'lots' is not "
                + "allowed", broken.decide(control, ID).reason());
    }

    @Test
    void aJobIdThatIsNotArexsIsNeverUsedAsAPath() {
        StateCallout.Answer a = callout.decide(control, "../../etc/passwd");
        assertFalse(a.admitted());
        assertEquals("vmgrid: the state callout was given '../../etc/passwd' as the job id; check that arc.conf's "
                + "statecallout line ends with %C %I", a.reason());
    }
}
