package org.vmgrid.pilot.internal.cloudinit;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One part of a multipart user-data: its MIME type (which tells cloud-init how to handle it), the
 * file name cloud-init gives it, and its bytes, which are never written into the message as they
 * are: {@link MultipartEncoder} base64-encodes every part, so no content can end a part early,
 * forge a header or another part.
 *
 * @param contentType {@code type/subtype}, letters, digits and {@code .+-} only (no parameters)
 * @param filename letters, digits and {@code ._-}, at most 64 (a script's name under
 *     {@code /var/lib/cloud/instance/scripts})
 */
public record MimePart(String contentType, String filename, byte[] content) {

    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9.+-]{0,63}/[a-z0-9][a-z0-9.+-]{0,63}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public MimePart {
        Objects.requireNonNull(content, "content");
        if (contentType == null || !TYPE.matcher(contentType).matches()) {
            throw new IllegalArgumentException("a MIME part's type must be type/subtype in lower-case letters, "
                    + "digits and .+-, was " + contentType);
        }
        if (filename == null || !NAME.matcher(filename).matches()) {
            throw new IllegalArgumentException("a MIME part's file name must be 1-64 letters, digits and ._-, was "
                    + filename);
        }
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MimePart p && p.contentType.equals(contentType) && p.filename.equals(filename)
                && Arrays.equals(p.content, content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(contentType, filename, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "MimePart[" + contentType + ", " + filename + ", " + content.length + " bytes]";
    }
}
