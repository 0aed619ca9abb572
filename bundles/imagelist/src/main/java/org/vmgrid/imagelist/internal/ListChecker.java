package org.vmgrid.imagelist.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vmgrid.imagelist.ImageListException;
import org.vmgrid.imagelist.ImageStatus;
import org.vmgrid.imagelist.ListStatus;

/**
 * Checks one image list file on its own: readable, signed by a trusted endorser (or unsigned and
 * explicitly trusted), well formed, unexpired. Never throws: a failed check is the list's reason.
 */
public final class ListChecker {

    /** No real image list comes near this; a bigger file is refused before it is read. */
    static final long MAX_BYTES = 32L * 1024 * 1024;

    private final SmimeReader smime = new SmimeReader();
    private final SignatureVerifier verifier = new SignatureVerifier();
    private final ImageListParser parser = new ImageListParser();
    private final TrustAnchors anchors;
    private final boolean trustUnsigned;
    private final Map<String, List<String>> aliasesByUuid;

    public ListChecker(TrustAnchors anchors, boolean trustUnsigned, Map<String, List<String>> aliasesByUuid) {
        this.anchors = anchors;
        this.trustUnsigned = trustUnsigned;
        this.aliasesByUuid = Map.copyOf(aliasesByUuid);
    }

    public CheckedList check(Path path, Instant now) {
        try {
            return checkOrThrow(path, now);
        } catch (RuntimeException e) {
            // a hostile file must never fail the whole load, whatever a library throws on it
            return new CheckedList(ListStatus.unreadable(path, "the list cannot be read: " + Printable.of(e.toString())),
                    Optional.empty());
        }
    }

    private CheckedList checkOrThrow(Path path, Instant now) {
        Envelope envelope;
        try {
            envelope = smime.open(read(path));
        } catch (ImageListException e) {
            return new CheckedList(ListStatus.unreadable(path, e.getMessage()), Optional.empty());
        }
        String problem = null;
        Optional<String> signer = Optional.empty();
        if (envelope.signature().isPresent()) {
            try {
                signer = Optional.of(verifier.verify(envelope.signature().get(), anchors, now));
            } catch (ImageListException e) {
                problem = "signature not trusted: " + e.getMessage();
            }
        } else if (!trustUnsigned) {
            problem = "the list is not signed and this site does not trust unsigned lists (images.properties "
                    + "trust.unsigned = false); use the endorser's signed list, or on a test site set "
                    + "trust.unsigned = true (vmgrid image list --trust-unsigned)";
        }
        ParsedList parsed;
        try {
            parsed = parser.parse(envelope.json(), path, aliasesByUuid);
        } catch (ImageListException e) {
            String why = problem != null ? e.getMessage() + "; also " + problem : e.getMessage();
            return new CheckedList(new ListStatus(path, false, why, Optional.empty(), 0, Optional.empty(),
                    envelope.signature().isPresent(), signer, List.of()), Optional.empty());
        }
        if (problem == null && !now.isBefore(parsed.expires())) {
            problem = "list expired on " + parsed.expires() + "; the endorser must publish a fresh list (fetch it again)";
        }
        List<ImageStatus> images = parsed.images();
        if (problem != null) {
            List<ImageStatus> unusable = new ArrayList<>();
            for (ImageStatus s : images) {
                unusable.add(s.usable() ? s.unusable("image " + s.identifier() + " cannot be used: its image list "
                        + path + " is not usable: " + problem) : s);
            }
            images = unusable;
        }
        ListStatus status = new ListStatus(path, problem == null, problem, Optional.of(parsed.expires()), images.size(),
                Optional.of(parsed.identifier()), envelope.signature().isPresent(), signer, images);
        return new CheckedList(status, parsed.created());
    }

    private static byte[] read(Path path) {
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new ImageListException("file is " + size + " bytes, more than an image list may be ("
                        + MAX_BYTES + ")");
            }
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ImageListException("cannot read the list: " + e, e);
        }
    }
}
