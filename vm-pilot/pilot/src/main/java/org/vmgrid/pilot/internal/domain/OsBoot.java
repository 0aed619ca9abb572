package org.vmgrid.pilot.internal.domain;

import org.w3c.dom.Element;

/** {@code <os>}: a BIOS guest booting from its first disk. */
public record OsBoot() implements DomainElement {

    @Override
    public void render(Element parent) {
        Element os = DomainElement.child(parent, "os");
        Element type = DomainElement.text(os, "type", "hvm");
        type.setAttribute("arch", "x86_64");
        DomainElement.child(os, "boot").setAttribute("dev", "hd");
    }
}
