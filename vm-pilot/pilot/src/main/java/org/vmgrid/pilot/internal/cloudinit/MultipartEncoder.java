package org.vmgrid.pilot.internal.cloudinit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Renders user-data parts as one {@code multipart/mixed} MIME message, the form cloud-init reads
 * when user-data holds several parts: CRLF line ends, a fixed boundary, and every part's content in
 * base64 (76-character lines). The boundary is made of characters base64 never writes ({@code =}
 * only ends a base64 line, {@code _} never appears in it), so no part's content can contain it: the
 * message has exactly the parts it was given, whatever their bytes.
 */
public final class MultipartEncoder {

    /** {@code _} and a leading {@code ==} cannot start a base64 line. */
    static final String BOUNDARY = "==vmgrid_part_boundary==";
    private static final String CRLF = "\r\n";

    /** The message holding {@code parts}, in order; at least one. */
    public byte[] encode(List<MimePart> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a multipart user-data needs at least one part");
        }
        StringBuilder m = new StringBuilder();
        m.append("Content-Type: multipart/mixed; boundary=\"").append(BOUNDARY).append('"').append(CRLF);
        m.append("MIME-Version: 1.0").append(CRLF).append(CRLF);
        Base64.Encoder b64 = Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII));
        for (MimePart p : parts) {
            m.append("--").append(BOUNDARY).append(CRLF);
            m.append("Content-Type: ").append(p.contentType()).append("; charset=\"utf-8\"").append(CRLF);
            m.append("MIME-Version: 1.0").append(CRLF);
            m.append("Content-Transfer-Encoding: base64").append(CRLF);
            m.append("Content-Disposition: attachment; filename=\"").append(p.filename()).append('"').append(CRLF);
            m.append(CRLF);
            String body = b64.encodeToString(p.content());
            m.append(body);
            if (!body.isEmpty()) {
                m.append(CRLF);
            }
        }
        m.append("--").append(BOUNDARY).append("--").append(CRLF);
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
