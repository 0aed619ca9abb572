package org.vmgrid.appliance.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The image's identifier: a name-based UUID (RFC 4122 version 5, SHA-1) of the name
 * {@code vmgrid:appliance:sha512:<hex>} in the URL namespace, so the same image bytes always get
 * the same UUID and any other bytes a different one.
 */
final class ContentUuid {

    private static final UUID NAMESPACE_URL = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    private ContentUuid() {
    }

    static UUID ofSha512(String sha512Hex) {
        if (!sha512Hex.matches("[0-9a-f]{128}")) {
            throw new IllegalArgumentException("not a lower-case hex SHA-512: " + sha512Hex);
        }
        return nameBased(NAMESPACE_URL, "vmgrid:appliance:sha512:" + sha512Hex);
    }

    static UUID nameBased(UUID namespace, String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                    .putLong(namespace.getLeastSignificantBits()).array());
            byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
            return new UUID(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-1", e);
        }
    }
}
