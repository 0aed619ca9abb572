package org.vmgrid.pilot.internal.domain;

import java.util.Objects;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * A domain's fixed identity: its {@code <uuid>}, its VM generation id ({@code <genid>}: the ACPI
 * VM Generation ID device, on which a guest's kernel reseeds its random generator when the value
 * changes) and the machine type. A golden snapshot and every restore of it must agree on all three
 * (libvirt refuses a restore otherwise); libvirt gives a restored VM a new generation id itself.
 *
 * @param uuid the domain's UUID
 * @param genid the generation id the golden was saved with; empty: libvirt makes one (a golden
 *     being built)
 * @param machine the machine type, e.g. {@code pc-i440fx-7.2}; empty: libvirt's default
 */
public record Identity(String uuid, String genid, String machine) implements DomainElement {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern MACHINE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public Identity {
        Objects.requireNonNull(genid, "genid");
        Objects.requireNonNull(machine, "machine");
        if (!UUID.matcher(uuid).matches() || !genid.isEmpty() && !UUID.matcher(genid).matches()) {
            throw new IllegalArgumentException("a domain's uuid and genid are lower-case UUIDs, were " + uuid + ", " + genid);
        }
        if (!machine.isEmpty() && !MACHINE.matcher(machine).matches()) {
            throw new IllegalArgumentException("a machine type is a short lower-case word, was " + machine);
        }
    }

    /** Renders {@code <uuid>} and {@code <genid>}; the machine type goes on {@code <os><type>}. */
    @Override
    public void render(Element domain) {
        DomainElement.text(domain, "uuid", uuid);
        if (genid.isEmpty()) {
            DomainElement.child(domain, "genid");
        } else {
            DomainElement.text(domain, "genid", genid);
        }
    }
}
