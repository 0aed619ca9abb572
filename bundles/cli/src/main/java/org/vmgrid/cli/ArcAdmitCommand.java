package org.vmgrid.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.vmgrid.arc.ArcAdmission;
import org.vmgrid.arc.ArcJobDescriptions;
import org.vmgrid.arc.StateCallout;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vmgrid arc admit CONTROLDIR JOBID}: A-REX's state callout (through
 * {@code arc/vmgrid-arc-statecallout}, which passes plain jobs without starting Java).
 */
@Command(name = "admit", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = {"Decide one A-REX job as its state callout: a job asking for none of vmgrid's "
        + "runtime environments passes; a VM request goes to the site's decision.",
    "Exit 0: the job goes on; 1: refused, with the reason on standard output (A-REX shows it in arcstat)."})
public final class ArcAdmitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigDirOption dir;

    @Parameters(index = "0", paramLabel = "CONTROLDIR", description = "A-REX's control directory (%C).")
    Path controlDir;

    @Parameters(index = "1", paramLabel = "JOBID", description = "The job's id (%I).")
    String jobId;

    @Override
    public Integer call() {
        StateCallout callout = new StateCallout(() -> {
            SiteConfig config = SiteConfig.load(dir.directory());
            return ArcAdmission.forSite(config, new CatalogLoader(Clock.systemUTC()).load(CatalogSources.from(
                    config.images())), Clock.systemUTC());
        }, new ArcJobDescriptions());
        StateCallout.Answer a = callout.decide(controlDir, jobId);
        if (a.admitted()) {
            return ExitCodes.OK;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(a.reason()); // A-REX appends it to the job's error as it is: no newline
        out.flush();
        return ExitCodes.REFUSED;
    }
}
