package org.vmgrid.pilot.internal.domain;

import org.w3c.dom.Element;

/**
 * {@code <os>}: a BIOS guest booting from its first disk.
 *
 * @param machine the machine type; empty: libvirt's default for the emulator
 */
public record OsBoot(String machine) implements DomainElement {

    /** The emulator's default machine type. */
    public OsBoot() {
        this("");
    }

    @Override
    public void render(Element parent) {
        Element os = DomainElement.child(parent, "os");
        Element type = DomainElement.text(os, "type", "hvm");
        type.setAttribute("arch", "x86_64");
        if (!machine.isEmpty()) {
            type.setAttribute("machine", machine);
        }
        DomainElement.child(os, "boot").setAttribute("dev", "hd");
    }
}
