package org.vmgrid.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The whole site configuration, validated. Each section comes from one file of the configuration
 * directory; a missing file means that section's built-in values.
 *
 * @param directory the configuration directory, or empty for the built-in configuration
 * @param files the files read, by name without {@code .properties}
 */
public record SiteConfig(Optional<Path> directory, SiteSection site, LimitsSection limits, ImagesSection images,
        PolicySection policy, PilotSection pilot, Map<String, ConfigFile> files) {

    /** The files a configuration directory may hold; any other {@code *.properties} is refused. */
    public static final List<String> FILE_NAMES = List.of("site", "limits", "images", "policy", "pilot", "info",
            "accounts");

    /** The default configuration directory. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/etc/vmgrid");

    public SiteConfig {
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** The conservative built-in configuration used when a command runs without a site configuration. */
    public static SiteConfig builtIn() {
        Path none = Path.of("(built-in)");
        return new SiteConfig(Optional.empty(), SiteSection.from(ConfigFile.empty(none)), LimitsSection.builtIn(),
                ImagesSection.from(ConfigFile.empty(none), Path.of(".")), PolicySection.open(), PilotSection.builtIn(),
                Map.of());
    }

    /**
     * Reads and validates a configuration directory.
     *
     * @throws ConfigException naming the file, line, key, value and what is allowed
     */
    public static SiteConfig load(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new ConfigException(abs + ": configuration directory does not exist; create it (config-examples/site "
                    + "is a complete example) or name another with --config-dir or VMGRID_CONF_DIR");
        }
        Map<String, ConfigFile> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(abs)) {
            for (Path p : list.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".properties")) {
                    continue;
                }
                String base = name.substring(0, name.length() - ".properties".length());
                if (!FILE_NAMES.contains(base)) {
                    throw new ConfigException(p + ": unknown configuration file; the files vmgrid reads are "
                            + String.join(", ", FILE_NAMES.stream().map(n -> n + ".properties").toList())
                            + " (rename or remove this one)");
                }
                files.put(base, ConfigFile.read(p));
            }
        } catch (IOException e) {
            throw new ConfigException(abs + ": cannot list the configuration directory: " + e.getMessage(), e);
        }
        SiteSection site = SiteSection.from(file(files, abs, "site"));
        LimitsSection limits = files.containsKey("limits") ? LimitsSection.from(files.get("limits")) : LimitsSection.builtIn();
        ImagesSection images = ImagesSection.from(file(files, abs, "images"), abs);
        PolicySection policy = files.containsKey("policy") ? PolicySection.from(files.get("policy")) : PolicySection.open();
        PilotSection pilot = files.containsKey("pilot") ? PilotSection.from(files.get("pilot")) : PilotSection.builtIn();
        if (files.containsKey("info")) {
            InfoSection.from(files.get("info")); // validated now, so a bad info.properties fails at load
        }
        if (files.containsKey("accounts")) {
            AccountsSection.from(files.get("accounts")); // likewise
        }
        return new SiteConfig(Optional.of(abs), site, limits, images, policy, pilot, files);
    }

    /** {@code info.properties}: what the information provider publishes; built-in values without the file. */
    public InfoSection info() {
        ConfigFile f = files.get("info");
        return f == null ? InfoSection.builtIn() : InfoSection.from(f);
    }

    /** {@code accounts.properties}: the site's grid pool accounts by unix group; none without the file. */
    public AccountsSection accounts() {
        ConfigFile f = files.get("accounts");
        return f == null ? AccountsSection.none() : AccountsSection.from(f);
    }

    /**
     * The directory a command should read: the explicit one, else {@code VMGRID_CONF_DIR}, else
     * {@code /etc/vmgrid}.
     */
    public static Path resolveDirectory(Optional<Path> explicit, Map<String, String> env) {
        if (explicit.isPresent()) {
            return explicit.get();
        }
        String fromEnv = env.get("VMGRID_CONF_DIR");
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : DEFAULT_DIRECTORY;
    }

    private static ConfigFile file(Map<String, ConfigFile> files, Path dir, String name) {
        ConfigFile f = files.get(name);
        return f != null ? f : ConfigFile.empty(dir.resolve(name + ".properties"));
    }
}
