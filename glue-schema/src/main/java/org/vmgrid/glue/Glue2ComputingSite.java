package org.vmgrid.glue;

import java.util.List;

/**
 * Everything vmgrid publishes in GLUE 2.0 for one CE: the service, its manager, the VM execution
 * environment and one ApplicationEnvironment per usable image.
 */
public record Glue2ComputingSite(ComputingService service, ComputingManager manager,
        ExecutionEnvironment environment, List<ApplicationEnvironment> applications) {

    public Glue2ComputingSite {
        applications = List.copyOf(applications);
    }
}
