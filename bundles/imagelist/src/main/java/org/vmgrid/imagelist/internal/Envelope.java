package org.vmgrid.imagelist.internal;

import java.util.List;
import java.util.Optional;

/**
 * An image list file taken apart: the list's JSON and, for a signed list, the PKCS#7 signature.
 *
 * @param json the list's JSON, MIME headers of the signed part removed
 * @param signature the signature, empty for an unsigned list
 */
public record Envelope(byte[] json, Optional<Signature> signature) {

    /**
     * A PKCS#7 / CMS signature.
     *
     * @param cms the DER-encoded SignedData
     * @param detachedContent for a detached signature the byte sequences that may have been signed
     *     (as found, then in canonical CRLF form); empty when the content is inside {@code cms}
     */
    public record Signature(byte[] cms, List<byte[]> detachedContent) {
        public Signature {
            detachedContent = List.copyOf(detachedContent);
        }
    }

    public static Envelope unsigned(byte[] json) {
        return new Envelope(json, Optional.empty());
    }
}
