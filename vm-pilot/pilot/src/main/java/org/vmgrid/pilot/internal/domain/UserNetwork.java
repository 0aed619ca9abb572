package org.vmgrid.pilot.internal.domain;

import org.w3c.dom.Element;

/**
 * {@code <interface type='user'>}: outbound-only user-mode networking (nothing can connect in).
 * Rendered only when both the job and the site allow {@code outbound}.
 */
public record UserNetwork() implements DomainElement {

    @Override
    public void render(Element parent) {
        Element iface = DomainElement.child(parent, "interface");
        iface.setAttribute("type", "user");
        DomainElement.child(iface, "model").setAttribute("type", "virtio");
    }
}
