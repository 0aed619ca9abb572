package org.vmgrid.imagelist;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.imagelist.internal.CheckedList;
import org.vmgrid.imagelist.internal.ListChecker;
import org.vmgrid.imagelist.internal.ListVersions;
import org.vmgrid.imagelist.internal.ReloadingCatalog;
import org.vmgrid.imagelist.internal.TrustAnchors;

/**
 * Reads the site's image lists into a {@link TrustedCatalog}. Each list is checked on its own
 * (readable; S/MIME signature chaining to a trust anchor, or unsigned and explicitly trusted; well
 * formed; unexpired), then against the others (the newest version of a list revokes the images it
 * dropped). A list that fails never fails the load: its images become unusable with the reason.
 */
public final class CatalogLoader {

    private final Clock clock;

    public CatalogLoader(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Reads and judges every list of the sources, now. Never throws for a bad list. */
    public TrustedCatalog load(CatalogSources sources) {
        Instant now = clock.instant();
        ListChecker checker = new ListChecker(TrustAnchors.load(sources.trustAnchors()), sources.trustUnsigned(),
                aliasesByUuid(sources.aliases()));
        List<CheckedList> checked = new ArrayList<>();
        for (Path list : sources.lists()) {
            checked.add(checker.check(list, now));
        }
        return new TrustedCatalog(ListVersions.reconcile(checked), sources.aliases(), clock, Map.of(),
                sources.cloudInitImages());
    }

    /**
     * The catalogue of a long-running door: loaded now, then read again when a list file or the
     * trust anchors change (images a list dropped become revoked), checked at most once per
     * {@code recheck}. Expiry is judged on every question.
     */
    public ImageCatalog following(CatalogSources sources, Duration recheck) {
        return new ReloadingCatalog(sources, clock, recheck);
    }

    /**
     * Reads the lists again after {@code previous} was loaded: an image that {@code previous}
     * offered and that the list it came from (same identifier, same signer) no longer names is
     * revoked, and says so (rather than "unknown"), for as long as it stays unlisted.
     */
    public TrustedCatalog reload(CatalogSources sources, TrustedCatalog previous) {
        TrustedCatalog fresh = load(sources);
        Map<String, String> revoked = new TreeMap<>();
        Set<String> listedNow = new HashSet<>();
        Set<String> listsNow = new HashSet<>();
        for (ListStatus l : fresh.lists()) {
            l.images().forEach(i -> listedNow.add(i.identifier()));
            if (l.usable()) {
                listsNow.add(ListVersions.key(l));
            }
        }
        previous.revoked().forEach((uuid, why) -> {
            if (!listedNow.contains(uuid)) {
                revoked.put(uuid, why);
            }
        });
        for (ListStatus l : previous.lists()) {
            for (ImageStatus i : l.images()) {
                if (i.usable() && !listedNow.contains(i.identifier()) && listsNow.contains(ListVersions.key(l))) {
                    revoked.put(i.identifier(), "image " + i.identifier() + " was revoked: list "
                            + l.identifier().orElseThrow() + " no longer names it (since " + clock.instant()
                            + "); choose another image");
                }
            }
        }
        return new TrustedCatalog(fresh.lists(), sources.aliases(), clock, revoked, sources.cloudInitImages());
    }

    private static Map<String, List<String>> aliasesByUuid(Map<String, String> aliases) {
        Map<String, List<String>> byUuid = new TreeMap<>();
        new TreeMap<>(aliases).forEach((alias, uuid) -> byUuid.computeIfAbsent(uuid, k -> new ArrayList<>()).add(alias));
        return byUuid;
    }
}
