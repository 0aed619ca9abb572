package org.vmgrid.pilot.internal.domain;

import org.w3c.dom.Element;

/** {@code <vcpu>}: the guest's virtual CPUs, as the job asked. */
public record Vcpus(int count) implements DomainElement {

    public Vcpus {
        if (count <= 0) {
            throw new IllegalArgumentException("guest CPUs must be positive, was " + count);
        }
    }

    @Override
    public void render(Element parent) {
        DomainElement.text(parent, "vcpu", Integer.toString(count));
    }
}
