package org.vmgrid.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vmgrid.api.Admission;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.Verdict;
import org.vmgrid.api.VmRequest;
import org.vmgrid.arc.ArcAdmission;
import org.vmgrid.arc.ArcDescriptionException;
import org.vmgrid.arc.ArcJob;
import org.vmgrid.arc.ArcJobDescriptions;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.PolicySection;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.decision.Asker;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.ListStatus;
import org.vmgrid.imagelist.TrustedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vmgrid xrsl check FILE}: what the site's ARC CE (its state callout) would say of this job description. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = {"Say whether the site's ARC CE would accept a job description (xRSL, or ADL), and why not: the "
            + "same decision as the CE's state callout.",
            "Exit 0: accepted (a VM job or a plain job), 1: refused by site policy, 2: a VM request vmgrid cannot read."})
public final class XrslCheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigDirOption configDir;

    @Mixin
    CatalogOptions catalogOptions;

    @Parameters(paramLabel = "FILE", description = "The job description.")
    Path file;

    @Option(names = "--vo", paramLabel = "VO", description = "The submitter's VO, for the site's VO policy (the CE uses "
            + "the VO of your proxy).")
    String vo;

    @Option(names = "--json", description = "Print one JSON object: verdict, reason, vm.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (vo != null && !PolicySection.VO.matcher(vo).matches()) {
            throw new ParameterException(spec.commandLine(), "--vo '" + ConfigException.printable(vo)
                    + "' is not a VO name (letters, digits, '.', '_', '-')");
        }
        SiteConfig config;
        try {
            Path dir = configDir.directory();
            config = configDir.isExplicit() || Files.isDirectory(dir) ? SiteConfig.load(dir) : SiteConfig.builtIn();
        } catch (ConfigException e) {
            err.println("vmgrid xrsl check: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        byte[] text;
        try {
            text = Files.readAllBytes(file);
        } catch (IOException e) {
            err.println("vmgrid xrsl check: cannot read the job description " + file + ": " + e + "; check the path");
            return ExitCodes.USAGE;
        }
        Admission a;
        try {
            ArcJob job = new ArcJobDescriptions().parse(text);
            TrustedCatalog catalog = new CatalogLoader(Clock.systemUTC()).load(catalogOptions.sources(config));
            for (ListStatus s : catalog.lists()) {
                if (!s.usable()) {
                    err.println("vmgrid xrsl check: image list " + s.path() + " is not usable: " + s.reason());
                }
            }
            a = ArcAdmission.forSite(config, catalog, Clock.systemUTC()).admit(job,
                    Asker.grid(Optional.ofNullable(vo), List.of()));
        } catch (ArcDescriptionException e) {
            a = Admission.malformed(e.getMessage());
        }
        if (json) {
            out.println(JdlCheckReport.json(new Admission(a.verdict(), a.reason(), a.vm(), List.of()), Lrms.SLURM));
        } else if (a.vm().isEmpty()) {
            out.println(file + ": " + a.verdict().word() + (a.reason().isEmpty()
                    ? ": plain job (no vmgrid runtime environment)" : ": " + a.reason()));
        } else {
            VmRequest vm = a.vm().get();
            out.println(file + ": accepted: VM job");
            out.println("  image    " + vm.image().uuid() + " \"" + ConfigException.printable(vm.image().title())
                    + "\" version " + ConfigException.printable(vm.image().version()));
            out.println("  sha512   " + vm.image().sha512());
            out.println("  vm       " + JdlCheckCommand.describe(vm));
            out.println("  batch    " + vm.cpus() + " slot(s), " + (vm.memoryMiB() + config.limits().overheadMemoryMiB())
                    + " MiB in all (the guest's and QEMU's), on a VM-capable node");
        }
        return a.verdict() == Verdict.ACCEPTED ? ExitCodes.OK
                : a.verdict() == Verdict.REFUSED ? ExitCodes.REFUSED : ExitCodes.MALFORMED;
    }
}
