package org.vmgrid.config.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.ConfigFile;
import org.vmgrid.config.SiteConfig;

/**
 * Reads the site configuration directory when the runtime starts, validates all of it, and hands
 * each file to ConfigAdmin under {@code org.vmgrid.<name>}; also offers the typed
 * {@link SiteConfig} as a service. A bad value fails activation with the file, line and key, so
 * nothing runs on a half-valid configuration.
 */
@Component(immediate = true)
public final class ConfigAdminPublisher {

    /** Framework property naming the configuration directory. */
    public static final String DIRECTORY_PROPERTY = "vmgrid.conf.dir";
    /** Every published configuration carries the file it came from. */
    public static final String SOURCE_FILE = "vmgrid.config.file";

    private final ServiceRegistration<SiteConfig> registration;

    @Activate
    public ConfigAdminPublisher(BundleContext context, @Reference ConfigurationAdmin configAdmin) throws IOException {
        Path dir = SiteConfig.resolveDirectory(Optional.ofNullable(context.getProperty(DIRECTORY_PROPERTY)).map(Path::of),
                System.getenv());
        SiteConfig config;
        try {
            config = SiteConfig.load(dir);
        } catch (ConfigException e) {
            throw new IllegalStateException("vmgrid cannot start: " + e.getMessage(), e);
        }
        for (Map.Entry<String, ConfigFile> e : config.files().entrySet()) {
            Configuration c = configAdmin.getConfiguration(pid(e.getKey()), "?");
            Dictionary<String, Object> props = new Hashtable<>(e.getValue().rawValues());
            props.put(SOURCE_FILE, e.getValue().path().toString());
            c.updateIfDifferent(props);
        }
        this.registration = context.registerService(SiteConfig.class, config, null);
    }

    /** The ConfigAdmin PID of a configuration file, by its name without {@code .properties}. */
    public static String pid(String fileName) {
        return "org.vmgrid." + fileName;
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
