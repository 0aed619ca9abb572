package org.vmgrid.pilot.internal.golden;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.vmgrid.pilot.internal.domain.DomainType;

/**
 * Everything a golden snapshot depends on: the image's bytes, the VM's shape (memory, CPUs, domain
 * type; no network: a guest with one always boots), the hypervisor's and libvirt's versions, the
 * guest contract and vmgrid's own layout of the VM (the devices a guest contract 2 job gets). A
 * golden is used only for exactly its key; a change of any input makes another key, and the golden
 * of the old one stale.
 *
 * @param imageUuid the image's UUID
 * @param imageSha512 the SHA-512 of the image's bytes, as its trusted list gives it
 * @param versions what {@link org.vmgrid.pilot.internal.libvirt.Hypervisor#versions()} says
 */
public record GoldenKey(String imageUuid, String imageSha512, int memoryMiB, int cpus, DomainType type,
        String versions) {

    /** vmgrid's layout of a golden VM; raised whenever the devices of a guest contract 2 VM change. */
    static final int LAYOUT = 1;
    /** The guest contract goldens are made for. */
    static final int GUEST_CONTRACT = 2;

    public GoldenKey {
        Objects.requireNonNull(type, "type");
        if (!imageUuid.matches("[0-9a-f-]{36}") || !imageSha512.matches("[0-9a-f]{128}")
                || !versions.matches("[a-z0-9 .]{1,100}")) {
            throw new IllegalArgumentException("a golden key needs an image UUID, its SHA-512 and plain versions");
        }
        if (memoryMiB <= 0 || cpus <= 0) {
            throw new IllegalArgumentException("a golden key needs positive memory and CPUs");
        }
    }

    /** What a stale golden shares with the one that replaces it: the image and the shape. */
    public String shape() {
        return "image " + imageUuid + " memory " + memoryMiB + " MiB cpus " + cpus + " type " + type.xmlName();
    }

    /** Every input, one per line: kept beside the golden, for people and for stale detection. */
    public String text() {
        return "vmgrid golden layout " + LAYOUT + "\nguest contract " + GUEST_CONTRACT + "\n" + shape() + "\nsha512 "
                + imageSha512 + "\nnetwork none\nversions " + versions + "\n";
    }

    /** The key's name: the first 24 hex digits of the SHA-256 of its text. */
    public String id() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text().getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
