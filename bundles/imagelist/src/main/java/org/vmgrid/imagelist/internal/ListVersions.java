package org.vmgrid.imagelist.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vmgrid.imagelist.ImageStatus;
import org.vmgrid.imagelist.ListStatus;

/**
 * Compares the usable lists with each other. Of several versions of one list (same
 * {@code dc:identifier} and same signer, so that one endorser cannot revoke another's images)
 * only the newest ({@code dc:date:created}) counts: an image the newest no longer names is revoked. An image that two lists describe with different checksums is ambiguous
 * and unusable in both.
 */
public final class ListVersions {

    private ListVersions() {
    }

    public static List<ListStatus> reconcile(List<CheckedList> checked) {
        Map<String, CheckedList> newest = new HashMap<>();
        for (CheckedList c : checked) {
            if (c.status().usable()) {
                newest.merge(key(c.status()), c, (a, b) -> created(b).isAfter(created(a)) ? b : a);
            }
        }
        List<ListStatus> out = new ArrayList<>();
        for (CheckedList c : checked) {
            CheckedList winner = c.status().usable() ? newest.get(key(c.status())) : c;
            boolean older = created(c).isBefore(created(winner));
            out.add(older ? superseded(c, winner, stillListed(checked, winner)) : c.status());
        }
        return refuseConflicts(out);
    }

    /** The images named by the newest version of a list (copies of the same version count alike). */
    private static Set<String> stillListed(List<CheckedList> checked, CheckedList winner) {
        Set<String> listed = new HashSet<>();
        for (CheckedList c : checked) {
            if (c.status().usable() && key(c.status()).equals(key(winner.status()))
                    && created(c).equals(created(winner))) {
                c.status().images().forEach(i -> listed.add(i.identifier()));
            }
        }
        return listed;
    }

    private static ListStatus superseded(CheckedList old, CheckedList winner, Set<String> stillListed) {
        ListStatus o = old.status();
        ListStatus w = winner.status();
        String newer = "newer version of list " + w.identifier().orElseThrow() + " in " + w.path() + " (created "
                + created(winner) + ")";
        List<ImageStatus> images = new ArrayList<>();
        for (ImageStatus i : o.images()) {
            images.add(stillListed.contains(i.identifier())
                    ? i.unusable("image " + i.identifier() + " is taken from the " + newer + ", not from " + o.path())
                    : i.unusable("image " + i.identifier() + " was revoked: it is no longer listed in the " + newer
                            + "; choose another image"));
        }
        return new ListStatus(o.path(), false, "superseded by the " + newer, o.expires(), o.imageCount(), o.identifier(),
                o.signed(), o.signer(), images);
    }

    private static List<ListStatus> refuseConflicts(List<ListStatus> lists) {
        Map<String, Set<String>> checksums = new HashMap<>();
        for (ListStatus l : lists) {
            for (ImageStatus i : l.images()) {
                if (i.usable()) {
                    checksums.computeIfAbsent(i.identifier(), k -> new HashSet<>()).add(i.image().orElseThrow().sha512());
                }
            }
        }
        List<ListStatus> out = new ArrayList<>();
        for (ListStatus l : lists) {
            List<ImageStatus> images = new ArrayList<>();
            for (ImageStatus i : l.images()) {
                boolean conflict = i.usable() && checksums.get(i.identifier()).size() > 1;
                images.add(conflict ? i.unusable("image " + i.identifier() + " is described with different SHA-512 "
                        + "checksums by different trusted lists; the site admin must remove the wrong list") : i);
            }
            out.add(new ListStatus(l.path(), l.usable(), l.reason(), l.expires(), l.imageCount(), l.identifier(),
                    l.signed(), l.signer(), images));
        }
        return out;
    }

    /** What makes two files versions of the same list: its identifier and who signed it. */
    public static String key(ListStatus usable) {
        return usable.identifier().orElseThrow() + " signed by " + usable.signer().orElse("nobody");
    }

    private static Instant created(CheckedList c) {
        return c.created().orElse(Instant.EPOCH);
    }
}
