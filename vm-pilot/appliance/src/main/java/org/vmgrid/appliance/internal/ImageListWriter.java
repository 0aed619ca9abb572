package org.vmgrid.appliance.internal;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The unsigned HEPiX image list ({@code hv:imagelist}) describing one built appliance. Created at
 * the build's source date and expiring ten years after it; the list's own identifier is derived
 * from the image's, so the same image gives the same list (up to the image's location).
 */
final class ImageListWriter {

    static final int VALID_YEARS = 10;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private ImageListWriter() {
    }

    /**
     * @param image where the image is: its absolute path becomes a {@code file:} URI
     * @param kernelRelease the guest kernel's release, named in the description
     */
    static String render(UUID uuid, String sha512, long size, URI image, String kernelRelease, Instant created) {
        if (!"file".equals(image.getScheme()) || !image.isAbsolute()) {
            throw new IllegalArgumentException("the image list wants an absolute file: URI, not " + image);
        }
        Instant expires = created.atZone(ZoneOffset.UTC).plusYears(VALID_YEARS).toInstant();
        UUID listId = ContentUuid.nameBased(uuid, "imagelist");
        return "{\n"
                + "  \"hv:imagelist\": {\n"
                + "    \"dc:identifier\": " + json(listId.toString()) + ",\n"
                + "    \"dc:title\": \"vmgrid test appliance\",\n"
                + "    \"dc:description\": \"Unsigned list written by 'vmgrid appliance build'; trust it only with trust.unsigned.\",\n"
                + "    \"dc:date:created\": " + json(ISO.format(created)) + ",\n"
                + "    \"dc:date:expires\": " + json(ISO.format(expires)) + ",\n"
                + "    \"hv:version\": \"1\",\n"
                + "    \"hv:images\": [\n"
                + "      {\n"
                + "        \"hv:image\": {\n"
                + "          \"dc:identifier\": " + json(uuid.toString()) + ",\n"
                + "          \"dc:title\": \"vmgrid test appliance (Debian kernel, busybox)\",\n"
                + "          \"dc:description\": " + json("Implements vmgrid guest contract 2 (and 1); kernel "
                        + kernelRelease + ".") + ",\n"
                + "          \"hv:version\": \"1\",\n"
                + "          \"hv:format\": \"qcow2\",\n"
                + "          \"vmgrid:guestcontract\": 2,\n"
                + "          \"hv:hypervisor\": \"QEMU,KVM\",\n"
                + "          \"hv:size\": " + size + ",\n"
                + "          \"hv:uri\": " + json(image.toASCIIString()) + ",\n"
                + "          \"sl:arch\": \"x86_64\",\n"
                + "          \"sl:os\": \"Linux\",\n"
                + "          \"sl:osname\": \"Debian\",\n"
                + "          \"sl:checksum:sha512\": " + json(sha512) + "\n"
                + "        }\n"
                + "      }\n"
                + "    ]\n"
                + "  }\n"
                + "}\n";
    }

    /** A JSON string literal: quotes, backslashes and every control character escaped. */
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
