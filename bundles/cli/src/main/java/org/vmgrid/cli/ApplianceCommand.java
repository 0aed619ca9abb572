package org.vmgrid.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vmgrid.api.VmgridException;
import org.vmgrid.appliance.ApplianceBuilder;
import org.vmgrid.appliance.ApplianceSettings;
import org.vmgrid.appliance.BuiltAppliance;
import org.vmgrid.exec.ProcessCommandRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmgrid appliance build --out DIR}: builds the test appliance and its image list. */
@Command(name = "appliance", description = "Build the vmgrid test appliance and its image list.",
        subcommands = ApplianceCommand.Build.class)
public final class ApplianceCommand implements Callable<Integer> {

    /** The build failed (a tool, a download, a full disk); the reason is on stderr. */
    static final int BUILD_FAILED = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code vmgrid appliance build --out DIR [--deb-cache DIR]}. */
    @Command(name = "build", description = {
        "Build DIR/" + ApplianceBuilder.IMAGE_FILE + " (Debian kernel + busybox init implementing guest contract v1)"
                + " and the unsigned image list DIR/" + ApplianceBuilder.IMAGE_LIST_FILE + ".",
        "Reproducible: SOURCE_DATE_EPOCH (default " + ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH
                + ") is the time of every file; the list expires ten years after it."})
    public static final class Build implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the image and its list.")
        Path out;

        @Option(names = "--deb-cache", paramLabel = "DIR",
                description = "Where downloaded .deb files are kept (default ~/.cache/vmgrid/debs).")
        Path debCache;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            String epoch = System.getenv().getOrDefault("SOURCE_DATE_EPOCH",
                    Long.toString(ApplianceSettings.DEFAULT_SOURCE_DATE_EPOCH));
            if (!epoch.matches("[0-9]{1,12}")) {
                err.println("vmgrid appliance build: SOURCE_DATE_EPOCH='" + epoch + "' is not whole seconds since 1970");
                return ExitCodes.USAGE;
            }
            ApplianceSettings settings = ApplianceSettings.defaults(Long.parseLong(epoch));
            if (debCache != null) {
                settings = settings.withDebCache(debCache);
            }
            try {
                BuiltAppliance a = new ApplianceBuilder(new ProcessCommandRunner(), settings).build(out);
                PrintWriter o = spec.commandLine().getOut();
                o.println(a.image() + ": " + a.size() + " bytes, kernel " + a.kernelRelease());
                o.println("uuid " + a.uuid());
                o.println("sha512 " + a.sha512());
                o.println(a.imageList() + ": unsigned image list (use it with trust.unsigned)");
                return ExitCodes.OK;
            } catch (VmgridException e) {
                err.println("vmgrid appliance build: " + e.getMessage());
                return BUILD_FAILED;
            }
        }
    }
}
