package org.vmgrid.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vmgrid.info.BdiiAddressException;
import org.vmgrid.info.BdiiFinder;
import org.vmgrid.info.FindReport;
import org.vmgrid.info.FoundCe;
import org.vmgrid.info.InfoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmgrid find}: VM-capable CEs and their images, as a BDII publishes them. */
@Command(name = "find", description = "Find VM-capable CEs and their images in a BDII.")
public final class FindCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bdii", required = true, paramLabel = "ldap://HOST:PORT", description = "The BDII to ask (top-level or site BDII).")
    String bdii;

    @Option(names = "--image", paramLabel = "NAME|UUID", description = "Only CEs offering this image (UUID or site alias).")
    String image;

    @Option(names = "--vo", paramLabel = "VO", description = "Only images this VO may use.")
    String vo;

    @Option(names = "--json", description = "Print a JSON list of objects with ce, service, site and images.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Connect and answer timeout (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            java.util.List<FoundCe> found = new BdiiFinder(Math.max(1, timeoutSeconds) * 1000)
                    .find(bdii, Optional.ofNullable(image), Optional.ofNullable(vo));
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? FindReport.json(found) : FindReport.text(found));
            out.flush();
            if (!json && found.isEmpty()) {
                err.println("vmgrid find: no VM-capable CE matches");
            }
            return ExitCodes.OK;
        } catch (BdiiAddressException e) {
            err.println("vmgrid find: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (InfoException e) {
            err.println("vmgrid find: " + e.getMessage());
            return ExitCodes.TEMPFAIL;
        }
    }
}
