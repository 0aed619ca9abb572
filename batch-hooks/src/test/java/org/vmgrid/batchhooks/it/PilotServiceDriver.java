package org.vmgrid.batchhooks.it;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.config.SiteConfig;
import org.vmgrid.exec.ProcessCommandRunner;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.pilot.internal.PilotService;

/**
 * The resident pilot service as a process of its own, for {@link SpankPluginIT}: the DS component
 * that {@code vmgrid serve} activates, built by hand from the site configuration in {@code args[0]}
 * (which must set {@code service.socket}), its trusted catalogue and a process command runner.
 * Prints {@link #READY} on stdout once it listens; its log is its stderr. It stops, deactivating
 * the component as SCR would (the socket is removed), on SIGTERM or when its stdin closes.
 */
public final class PilotServiceDriver {

    static final String READY = "pilot service driver: ready on ";

    private PilotServiceDriver() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: PilotServiceDriver CONF_DIR");
            System.exit(64);
        }
        SiteConfig config = SiteConfig.load(Path.of(args[0]));
        if (config.pilot().serviceSocket().isEmpty()) {
            System.err.println("pilot service driver: " + args[0] + "/pilot.properties sets no service.socket");
            System.exit(78);
        }
        ImageCatalog catalog = new CatalogLoader(Clock.systemUTC()).load(CatalogSources.from(config.images()));
        PilotService service = new PilotService(config, new ProcessCommandRunner(), catalog);
        Method deactivate = PilotService.class.getDeclaredMethod("deactivate"); // SCR calls it reflectively too
        deactivate.setAccessible(true);
        AtomicBoolean stopped = new AtomicBoolean();
        // one stop, whoever comes first (the hook on SIGTERM, or main when stdin closes); the other
        // waits for it to finish, so the JVM cannot halt while the socket is still being removed
        Runnable stop = () -> {
            synchronized (stopped) {
                if (stopped.compareAndSet(false, true)) {
                    try {
                        deactivate.invoke(service);
                        System.err.println("pilot service driver: stopped");
                    } catch (ReflectiveOperationException e) {
                        e.printStackTrace();
                    }
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "pilot-service-driver-stop"));
        System.out.println(READY + config.pilot().serviceSocket().get());
        System.out.flush();
        while (System.in.read() != -1) {
            // runs until stdin closes (or SIGTERM, through the hook)
        }
        stop.run();
    }
}
