package org.vmgrid.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.vmgrid.api.Lrms;
import org.vmgrid.blahservice.HookInstaller;
import org.vmgrid.blahservice.HookServiceException;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vmgrid blah}: BLAH on the CE. */
@Command(name = "blah", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Plug vmgrid into BLAH on a CREAM CE.", subcommands = BlahCommand.InstallHooks.class)
public final class BlahCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code vmgrid blah install-hooks --libexec DIR [--lrms LRMS]}. */
    @Command(name = "install-hooks", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
            description = {"Install the <lrms>_local_submit_attributes.sh hooks into BLAH's libexec directory, with the",
                "site's hook socket (blah.hook.socket of site.properties) and this installation's vmgrid-hook-client",
                "written in. Run it again after changing either."})
    public static final class InstallHooks implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigDirOption configDir;

        @Option(names = "--libexec", required = true, paramLabel = "DIR",
                description = "BLAH's libexec directory (where slurm_submit.sh and friends are).")
        Path libexec;

        @Option(names = "--lrms", paramLabel = "LRMS", description = "Only this batch system's hook (default: the site's"
                + " lrms of site.properties); 'all' installs every one.")
        String lrms;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            SiteConfig config;
            try {
                config = SiteConfig.load(configDir.directory());
            } catch (ConfigException e) {
                err.println("vmgrid blah install-hooks: " + e.getMessage());
                return ExitCodes.CONFIG;
            }
            List<Lrms> which;
            if (lrms == null) {
                which = List.of(config.site().lrms());
            } else if (lrms.equals("all")) {
                which = Arrays.asList(Lrms.values());
            } else {
                which = List.of(Lrms.fromKeyword(lrms).orElseThrow(() -> new ParameterException(spec.commandLine(),
                        "--lrms '" + lrms + "' is not a batch system vmgrid knows; use slurm, pbs, sge, lsf, condor or all")));
            }
            if (config.site().blahHookSocket().isEmpty()) {
                err.println("vmgrid blah install-hooks: " + configDir.directory().resolve("site.properties")
                        + " names no blah.hook.socket; set it (e.g. blah.hook.socket = /run/vmgrid/blah-hook.sock) so that"
                        + " vmgrid serve answers the hooks there");
                return ExitCodes.CONFIG;
            }
            Path hooks = Path.of(System.getProperty("vmgrid.home", "."), "blah").toAbsolutePath().normalize();
            Path client = hooks.resolve(HookInstaller.CLIENT);
            if (!Files.isExecutable(client)) {
                err.println("vmgrid blah install-hooks: " + client + " is missing or not executable; install the whole "
                        + "vmgrid distribution (its blah/ directory) first");
                return ExitCodes.CONFIG;
            }
            if (!Files.isDirectory(libexec)) {
                err.println("vmgrid blah install-hooks: " + libexec + " is not a directory; name BLAH's libexec directory");
                return ExitCodes.USAGE;
            }
            try {
                for (Path p : HookInstaller.install(hooks, libexec, which, config.site().blahHookSocket().get(), client)) {
                    out.println("installed " + p + " (socket " + config.site().blahHookSocket().get() + ")");
                }
            } catch (HookServiceException e) {
                err.println("vmgrid blah install-hooks: " + e.getMessage());
                return ExitCodes.CONFIG;
            }
            return ExitCodes.OK;
        }
    }
}
