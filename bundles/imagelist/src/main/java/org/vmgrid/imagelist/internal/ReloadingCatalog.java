package org.vmgrid.imagelist.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.imagelist.CatalogLoader;
import org.vmgrid.imagelist.CatalogSources;
import org.vmgrid.imagelist.TrustedCatalog;

/**
 * A catalogue that follows its list files: when a list file changes (a refreshed list, an image
 * revoked), the lists are read again, checked at most once per interval so that admission stays
 * cheap.
 */
public final class ReloadingCatalog implements ImageCatalog {

    private final CatalogLoader loader;
    private final CatalogSources sources;
    private final Clock clock;
    private final Duration interval;
    private volatile Snapshot current;

    private record Snapshot(TrustedCatalog catalog, List<String> stamps, Instant checked) {
    }

    public ReloadingCatalog(CatalogSources sources, Clock clock, Duration interval) {
        this.loader = new CatalogLoader(clock);
        this.sources = Objects.requireNonNull(sources, "sources");
        this.clock = clock;
        this.interval = interval;
        this.current = load();
    }

    /** The catalogue as of the last check of the list files. */
    public TrustedCatalog catalog() {
        Snapshot s = current;
        Instant now = clock.instant();
        if (now.isBefore(s.checked().plus(interval))) {
            return s.catalog();
        }
        synchronized (this) {
            s = current;
            if (!now.isBefore(s.checked().plus(interval))) {
                current = stamps().equals(s.stamps()) ? new Snapshot(s.catalog(), s.stamps(), now) : reload(s.catalog());
            }
            return current.catalog();
        }
    }

    @Override
    public ImageResolution resolve(String uuidOrAlias) {
        return catalog().resolve(uuidOrAlias);
    }

    @Override
    public List<ImageDescriptor> usableImages() {
        return catalog().usableImages();
    }

    private Snapshot load() {
        List<String> before = stamps();
        return new Snapshot(loader.load(sources), before, clock.instant());
    }

    private Snapshot reload(TrustedCatalog previous) {
        List<String> before = stamps();
        return new Snapshot(loader.reload(sources, previous), before, clock.instant());
    }

    /** What identifies a version of each list file (and of the trust anchors) without reading it. */
    private List<String> stamps() {
        List<Path> watched = new ArrayList<>(sources.lists());
        sources.trustAnchors().ifPresent(watched::add);
        List<String> out = new ArrayList<>();
        for (Path p : watched) {
            try {
                out.add(p + " " + Files.getLastModifiedTime(p).toMillis() + " " + Files.size(p));
            } catch (IOException e) {
                out.add(p + " missing");
            }
        }
        return out;
    }
}
