package org.vmgrid.pilot.it;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Clock;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.pilot.internal.PilotService;

/**
 * The resident pilot service as a process of its own ({@code CONF_DIR}, which must set
 * {@code service.socket}): the DS component {@code vmgrid serve} activates, built by hand. Prints
 * {@link #READY} once it listens; its log is its stderr. Stops (deactivating the component as SCR
 * would) when its stdin closes.
 */
public final class ServiceDriver {

    static final String READY = "service driver: ready";

    private ServiceDriver() {
    }

    public static void main(String[] args) throws Exception {
        SiteConfig config = SiteConfig.load(Path.of(args[0]));
        ImageCatalog catalog = new CatalogLoader(Clock.systemUTC()).load(CatalogSources.from(config.images()));
        PilotService service = new PilotService(config, new ProcessCommandRunner(), catalog);
        System.out.println(READY);
        System.out.flush();
        while (System.in.read() != -1) {
            // until stdin closes
        }
        Method deactivate = PilotService.class.getDeclaredMethod("deactivate");
        deactivate.setAccessible(true);
        deactivate.invoke(service);
        System.exit(0);
    }
}
