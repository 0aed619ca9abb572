package org.vmgrid.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.vmgrid.config.SiteConfig;
import picocli.CommandLine.Option;

/** The {@code --config-dir} option every command that reads the site configuration shares. */
public final class ConfigDirOption {

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "Site configuration directory (default: $VMGRID_CONF_DIR, else /etc/vmgrid).")
    Path configDir;

    /** The directory to read: the option, else VMGRID_CONF_DIR, else /etc/vmgrid. */
    public Path directory() {
        return SiteConfig.resolveDirectory(Optional.ofNullable(configDir), System.getenv());
    }

    /** True when the user named a directory, by option or environment. */
    public boolean isExplicit() {
        String env = System.getenv("VMGRID_CONF_DIR");
        return configDir != null || (env != null && !env.isBlank());
    }
}
