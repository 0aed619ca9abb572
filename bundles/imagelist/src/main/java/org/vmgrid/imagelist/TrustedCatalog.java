package org.vmgrid.imagelist;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.vmgrid.api.GuestAgent;
import org.vmgrid.api.ImageCatalog;
import org.vmgrid.api.ImageDescriptor;
import org.vmgrid.api.ImageResolution;
import org.vmgrid.imagelist.internal.Printable;

/**
 * The site's image lists as {@link CatalogLoader} judged them: which images may be booted, and
 * for every other one, why not. Immutable; expiry is checked again on every question, so a
 * catalogue kept for a long time stops offering the images of a list once it expires.
 */
public final class TrustedCatalog implements ImageCatalog {

    private final List<ListStatus> lists;
    private final Map<String, String> aliases;
    private final Clock clock;
    private final Map<String, String> revoked;
    private final Set<String> cloudInit;
    /** every entry naming an image UUID, usable ones first, in list order */
    private final Map<String, List<ImageStatus>> entries = new LinkedHashMap<>();

    TrustedCatalog(List<ListStatus> lists, Map<String, String> aliases, Clock clock, Map<String, String> revoked) {
        this(lists, aliases, clock, revoked, Set.of());
    }

    /**
     * @param cloudInit the images the site declares stock cloud-init images ({@code cloud-init.images}),
     *     whatever their lists say
     */
    TrustedCatalog(List<ListStatus> lists, Map<String, String> aliases, Clock clock, Map<String, String> revoked,
            Set<String> cloudInit) {
        this.cloudInit = Set.copyOf(cloudInit);
        this.lists = List.copyOf(lists);
        this.aliases = Map.copyOf(aliases);
        this.clock = clock;
        this.revoked = Map.copyOf(revoked);
        for (ListStatus l : this.lists) {
            for (ImageStatus i : l.images()) {
                if (ImageDescriptor.isUuid(i.identifier())) {
                    entries.computeIfAbsent(i.identifier(), k -> new ArrayList<>()).add(i);
                }
            }
        }
        entries.values().forEach(e -> e.sort(Comparator.comparing(s -> !s.usable())));
    }

    /** Every configured list, in configuration order, with its state and its images. */
    public List<ListStatus> lists() {
        return lists;
    }

    /** The site's aliases, alias to UUID. */
    public Map<String, String> aliases() {
        return new TreeMap<>(aliases);
    }

    /**
     * Images an earlier load offered that their list no longer names (see
     * {@link CatalogLoader#reload}), UUID to reason.
     */
    public Map<String, String> revoked() {
        return new TreeMap<>(revoked);
    }

    @Override
    public ImageResolution resolve(String uuidOrAlias) {
        String name = uuidOrAlias == null ? "" : uuidOrAlias.strip();
        String alias = name.toLowerCase(Locale.ROOT);
        if (aliases.containsKey(alias)) {
            ImageResolution r = resolveUuid(aliases.get(alias));
            return r.isUsable() ? r : ImageResolution.notUsable("site alias '" + alias + "' names image "
                    + aliases.get(alias) + ", which cannot be used: " + r.reason());
        }
        if (entries.containsKey(alias) || ImageDescriptor.isUuid(alias)) {
            return resolveUuid(alias);
        }
        return ImageResolution.notUsable("unknown image '" + Printable.of(name) + "': it is neither an image UUID "
                + "(dc:identifier) nor an alias of this site" + (aliases.isEmpty() ? ""
                        : " (aliases: " + String.join(", ", new TreeMap<>(aliases).keySet().stream().limit(10).toList())
                                + (aliases.size() > 10 ? ", ..." : "") + ")"));
    }

    private ImageResolution resolveUuid(String uuid) {
        List<ImageStatus> found = entries.get(uuid);
        if (found == null && revoked.containsKey(uuid)) {
            return ImageResolution.notUsable(revoked.get(uuid));
        }
        if (found == null) {
            long broken = lists.stream().filter(l -> l.identifier().isEmpty()).count();
            return ImageResolution.notUsable("unknown image " + uuid + ": none of this site's trusted image lists "
                    + "names it; ask the site which images it offers" + (broken == 0 ? ""
                            : " (" + broken + " of its image lists could not be read: vmgrid image list shows why)"));
        }
        ImageResolution expired = null;
        for (ImageStatus entry : found) {
            if (!entry.usable()) {
                break;
            }
            ImageDescriptor image = entry.image().orElseThrow();
            if (clock.instant().isBefore(image.listExpires())) {
                return ImageResolution.found(cloudInit.contains(uuid) ? image.withGuestAgent(GuestAgent.CLOUD_INIT) : image);
            }
            if (expired == null) {
                expired = ImageResolution.notUsable("image " + uuid + " cannot be used: its image list "
                        + image.listUri() + " expired on " + image.listExpires() + "; the site must fetch a fresh list");
            }
        }
        return expired != null ? expired : ImageResolution.notUsable(found.get(0).reason());
    }

    @Override
    public List<ImageDescriptor> usableImages() {
        List<ImageDescriptor> usable = new ArrayList<>();
        for (String uuid : new TreeMap<>(entries).keySet()) {
            resolveUuid(uuid).image().ifPresent(usable::add);
        }
        return usable;
    }
}
