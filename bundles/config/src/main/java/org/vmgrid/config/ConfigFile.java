package org.vmgrid.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.commons.configuration2.PropertiesConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;

/**
 * One properties file of the configuration directory, with typed, validating getters. Every getter
 * marks its key as known; {@link #rejectUnknownKeys()} then refuses typos.
 */
public final class ConfigFile {

    private final Path path;
    private final Map<String, String> values;
    private final Map<String, Integer> lines;
    private final Set<String> known = new LinkedHashSet<>();

    private ConfigFile(Path path, Map<String, String> values, Map<String, Integer> lines) {
        this.path = path;
        this.values = values;
        this.lines = lines;
    }

    /** An empty file at a path that need not exist: every getter returns its default. */
    public static ConfigFile empty(Path path) {
        return new ConfigFile(path, Map.of(), Map.of());
    }

    /** Reads a properties file (UTF-8, no includes, no list splitting, no interpolation). */
    public static ConfigFile read(Path path) {
        PropertiesConfiguration props = new PropertiesConfiguration();
        props.setIncludesAllowed(false);
        try {
            FileHandler handler = new FileHandler(props);
            handler.setEncoding("UTF-8");
            handler.load(path.toFile());
        } catch (ConfigurationException e) {
            throw new ConfigException(path + ": cannot read this configuration file: " + rootMessage(e)
                    + "; check that it exists, is readable and is in Java properties syntax", e);
        }
        Map<String, Integer> lines = lineNumbers(path);
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<String> it = props.getKeys(); it.hasNext(); ) {
            String key = it.next();
            Object raw = props.getProperty(key);
            if (raw instanceof Collection<?> many) {
                throw new ConfigException(path + ":" + lines.getOrDefault(key, 0) + ": " + key + " is set "
                        + many.size() + " times; set it once");
            }
            values.put(key, String.valueOf(raw).strip());
        }
        return new ConfigFile(path, Collections.unmodifiableMap(values), lines);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static Map<String, Integer> lineNumbers(Path path) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        try {
            List<String> all = Files.readAllLines(path, StandardCharsets.UTF_8);
            Pattern keyStart = Pattern.compile("^\\s*([^#!\\s=:][^\\s=:]*)");
            for (int i = 0; i < all.size(); i++) {
                var m = keyStart.matcher(all.get(i));
                if (m.find()) {
                    lines.putIfAbsent(m.group(1).replace("\\", ""), i + 1);
                }
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // line numbers are a courtesy; the value checks still name the file and key
        }
        return lines;
    }

    public Path path() {
        return path;
    }

    /** The raw values, as read, for handing to ConfigAdmin. */
    public Map<String, String> rawValues() {
        return values;
    }

    /** The 1-based line of a key, or 0 when it is not in the file. */
    public int line(String key) {
        return lines.getOrDefault(key, 0);
    }

    public boolean has(String key) {
        known.add(key);
        return values.containsKey(key);
    }

    /** A ConfigException for a value of this file that a caller found wrong. */
    public ConfigException bad(String key, String value, String allowed) {
        return ConfigException.badValue(path, line(key), key, value, allowed);
    }

    /** A string matching a pattern; {@code allowed} says in words what the pattern allows. */
    public String string(String key, String def, Pattern pattern, String allowed) {
        known.add(key);
        String v = values.get(key);
        if (v == null) {
            return def;
        }
        if (!pattern.matcher(v).matches()) {
            throw bad(key, v, allowed);
        }
        return v;
    }

    /** A whole number within [min, max]; {@code unit} names it in the message (e.g. "MiB"). */
    public int integer(String key, int def, int min, int max, String unit) {
        return (int) longValue(key, def, min, max, unit);
    }

    public long longValue(String key, long def, long min, long max, String unit) {
        known.add(key);
        String v = values.get(key);
        if (v == null) {
            return def;
        }
        String allowed = "a whole number of " + unit + " from " + min + " to " + max;
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw bad(key, v, allowed);
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(key, v, allowed);
        }
    }

    public boolean bool(String key, boolean def) {
        known.add(key);
        String v = values.get(key);
        if (v == null) {
            return def;
        }
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, v, "true or false");
        };
    }

    /** One of a fixed set of lower-case words. */
    public String keyword(String key, String def, List<String> words) {
        known.add(key);
        String v = values.get(key);
        if (v == null) {
            return def;
        }
        if (!words.contains(v)) {
            throw bad(key, v, "one of " + String.join(", ", words));
        }
        return v;
    }

    /** A comma-separated list; blanks around items are dropped, empty items refused. */
    public List<String> list(String key, List<String> def) {
        known.add(key);
        String v = values.get(key);
        if (v == null) {
            return def;
        }
        if (v.isEmpty()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : v.split(",", -1)) {
            String t = item.trim();
            if (t.isEmpty()) {
                throw bad(key, v, "a comma-separated list without empty items");
            }
            items.add(t);
        }
        return List.copyOf(items);
    }

    /** A path; a relative one is taken relative to the configuration directory. */
    public Path path(String key, Path def) {
        known.add(key);
        String v = values.get(key);
        if (v == null) {
            return def;
        }
        if (v.isEmpty() || v.indexOf('\0') >= 0) {
            throw bad(key, v, "a file system path");
        }
        Path dir = path.toAbsolutePath().getParent();
        return dir.resolve(v).normalize();
    }

    /** The keys starting with a prefix, each marked as known; the caller validates their values. */
    public Set<String> keysWithPrefix(String prefix) {
        Set<String> keys = new TreeSet<>();
        for (String k : values.keySet()) {
            if (k.startsWith(prefix)) {
                keys.add(k);
                known.add(k);
            }
        }
        return keys;
    }

    /** The raw value of a key the caller already knows is present. */
    public String raw(String key) {
        known.add(key);
        return values.get(key);
    }

    /** Refuses keys no getter asked for: a typo must not silently fall back to a default. */
    public void rejectUnknownKeys() {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw ConfigException.badValue(path, line(key), key, values.get(key),
                        "this file knows no such key; known keys: " + String.join(", ", known));
            }
        }
    }
}
