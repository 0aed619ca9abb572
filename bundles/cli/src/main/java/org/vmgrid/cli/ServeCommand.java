package org.vmgrid.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.vmgrid.config.ConfigException;
import org.vmgrid.config.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vmgrid serve}: runs the vmgrid OSGi runtime (Apache Felix with SCR and ConfigAdmin) with
 * the distribution's bundles until stopped with SIGTERM or SIGINT.
 */
@Command(name = "serve", description = "Run the vmgrid runtime (Apache Felix) with the site configuration until stopped.")
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigDirOption dir;

    @Option(names = "--bundles", paramLabel = "DIR", description = "Bundle directory (default: the distribution's bundle/).")
    Path bundles;

    @Option(names = "--storage", paramLabel = "DIR", description = "Felix cache directory (default: a fresh temporary one).")
    Path storage;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        Path conf = dir.directory();
        try {
            SiteConfig.load(conf);
        } catch (ConfigException e) {
            err.println("vmgrid serve: " + e.getMessage());
            return ExitCodes.CONFIG;
        }
        Path bundleDir = bundles != null ? bundles : Path.of(System.getProperty("vmgrid.home", "."), "bundle");
        if (!Files.isDirectory(bundleDir)) {
            err.println("vmgrid serve: " + bundleDir + ": no bundle directory; run from the built distribution "
                    + "(./vmgrid) or give --bundles");
            return ExitCodes.CONFIG;
        }
        Path cache = storage != null ? storage : Files.createTempDirectory("vmgrid-felix");
        // the hook goes in before the bundles start: a SIGTERM during start-up must stop them too
        Framework felix = start(bundleDir, cache, conf,
                f -> Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(f))));
        spec.commandLine().getOut().println("vmgrid runtime started: " + felix.getBundleContext().getBundles().length
                + " bundles, configuration " + conf);
        felix.waitForStop(0);
        return ExitCodes.OK;
    }

    /** Starts Felix, installs and starts every jar of a directory; fails if any bundle does not start. */
    public static Framework start(Path bundleDir, Path cache, Path confDir) throws IOException, BundleException {
        return start(bundleDir, cache, confDir, f -> { });
    }

    /** As {@link #start(Path, Path, Path)}, telling {@code started} of the framework before any bundle is installed. */
    public static Framework start(Path bundleDir, Path cache, Path confDir, java.util.function.Consumer<Framework> started)
            throws IOException, BundleException {
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put("vmgrid.conf.dir", confDir.toAbsolutePath().toString());
        Felix felix = new Felix(props);
        felix.start();
        started.accept(felix);
        List<Bundle> installed = new ArrayList<>();
        try (Stream<Path> jars = Files.list(bundleDir)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                installed.add(felix.getBundleContext().installBundle(jar.toUri().toString()));
            }
        }
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        return felix;
    }

    private static void stop(Framework felix) {
        try {
            felix.stop();
            felix.waitForStop(10_000);
        } catch (BundleException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
