package org.vmgrid.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vmgrid.admission.SiteAdmission;
import org.vmgrid.api.Admission;
import org.vmgrid.api.JobContext;
import org.vmgrid.api.Lrms;
import org.vmgrid.api.Verdict;
import org.vmgrid.api.VmRequest;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.PolicySection;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.imagelist.ListStatus;
import org.vmgrid.imagelist.TrustedCatalog;
import org.vmgrid.jdl.Jdl;
import org.vmgrid.jdl.JdlSyntaxException;
import org.vmgrid.jdl.Value;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vmgrid jdl check FILE}: what the site's CE would say of this JDL, through the same door
 * ({@link SiteAdmission}) CREAM's Axis2 module asks, so that the verdict and reason are the CE's.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = {"Say whether the site would accept a job's JDL, and why not.",
    "Exit 0: accepted (a VM job or a plain job), 1: refused by site policy, 2: malformed JDL."})
public final class JdlCheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigDirOption configDir;

    @Parameters(paramLabel = "FILE", description = "The JDL file.")
    Path file;

    @Mixin

    CatalogOptions catalogOptions;

    @Option(names = "--vo", paramLabel = "VO", description = {"The submitter's VO, for the site's VO policy "
        + "(default: the JDL's VirtualOrganisation; the CE itself uses the VO of your proxy)."})
    String vo;

    @Option(names = "--lrms", paramLabel = "LRMS",
            description = "Batch system to render directives for: slurm, pbs, sge, lsf or condor (default: the site's).")
    String lrms;

    @Option(names = "--json", description = "Print one JSON object: verdict, reason, vm, directives.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Lrms> chosen = lrms == null ? Optional.empty() : Lrms.fromKeyword(lrms);
        if (lrms != null && chosen.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--lrms '" + lrms + "' is not a batch system vmgrid knows; "
                    + "use slurm, pbs, sge, lsf or condor");
        }
        if (vo != null && !PolicySection.VO.matcher(vo).matches()) {
            throw new ParameterException(spec.commandLine(), "--vo '" + ConfigException.printable(vo)
                    + "' is not a VO name (letters, digits, '.', '_', '-')");
        }
        SiteConfig config;
        try {
            config = siteConfig();
        } catch (ConfigException e) {
            err.println("vmgrid jdl check: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        byte[] jdl;
        try {
            jdl = Files.readAllBytes(file);
        } catch (IOException e) {
            err.println("vmgrid jdl check: cannot read the JDL file " + file + ": " + e + "; check the path");
            return ExitCodes.USAGE;
        }
        CatalogSources sources = catalogOptions.sources(config);
        TrustedCatalog catalog = new CatalogLoader(Clock.systemUTC()).load(sources);
        for (ListStatus s : catalog.lists()) {
            if (!s.usable()) {
                err.println("vmgrid jdl check: image list " + s.path() + " is not usable: " + s.reason());
            }
        }
        if (vo == null) {
            claimedVo(jdl).ifPresent(v -> err.println("vmgrid jdl check: assuming VO " + v + " from the JDL's "
                    + "VirtualOrganisation (the CE uses the VO of your proxy; --vo sets it)"));
        }
        // --vo stands for the VO the CE's authorization finds in the proxy; without it the JDL's is used, as by the CE
        JobContext context = new JobContext(Optional.ofNullable(vo), List.of(), chosen.orElse(config.site().lrms()));
        Admission a = new SiteAdmission(config, catalog, Clock.systemUTC()).admit(jdl, context);
        if (json) {
            out.println(JdlCheckReport.json(a, context.lrms()));
        } else {
            JdlCheckReport.text(a, context.lrms(), file, out);
        }
        return a.verdict() == Verdict.ACCEPTED ? ExitCodes.OK
                : a.verdict() == Verdict.REFUSED ? ExitCodes.REFUSED : ExitCodes.MALFORMED;
    }

    /** The named directory; without one, /etc/vmgrid if it exists, else the built-in configuration. */
    private SiteConfig siteConfig() {
        Path dir = configDir.directory();
        if (configDir.isExplicit() || Files.isDirectory(dir)) {
            return SiteConfig.load(dir);
        }
        return SiteConfig.builtIn();
    }

    /** The JDL's VirtualOrganisation when it is a plain VO name; empty when absent or not parsable. */
    private static Optional<String> claimedVo(byte[] jdl) {
        try {
            Value v = Jdl.evaluate(Jdl.parse(jdl), "VirtualOrganisation");
            return v instanceof Value.Str s && PolicySection.VO.matcher(s.value()).matches()
                    ? Optional.of(s.value()) : Optional.empty();
        } catch (JdlSyntaxException e) {
            return Optional.empty();
        }
    }

    static String describe(VmRequest vm) {
        return vm.memoryMiB() + " MiB, " + vm.cpus() + " CPU(s), network " + vm.network().keyword();
    }
}
