package org.vmgrid.pilot.internal.domain;

import org.w3c.dom.Element;

/** {@code <memory unit='MiB'>}: the guest's RAM, as the job asked. */
public record Memory(int mib) implements DomainElement {

    public Memory {
        if (mib <= 0) {
            throw new IllegalArgumentException("guest memory must be positive, was " + mib + " MiB");
        }
    }

    @Override
    public void render(Element parent) {
        DomainElement.text(parent, "memory", Integer.toString(mib)).setAttribute("unit", "MiB");
    }
}
