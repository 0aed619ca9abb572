package org.vmgrid.pilot.internal.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * {@code <domain>}: one job's VM. Every power event ends the domain, so a guest that reboots or
 * crashes stops instead of looping; no graphics, no balloon, no USB: only the devices listed.
 * {@code runAs}: the user QEMU runs as, where libvirt runs QEMU as users of the pilot's choice
 * (a session libvirtd runs it as its own user, and has no such label).
 */
public record Domain(DomainType type, String name, JobLabel label, Memory memory, Vcpus vcpus, OsBoot os,
        List<DomainElement> devices, Optional<DacLabel> runAs) implements DomainElement {

    public Domain {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(vcpus, "vcpus");
        Objects.requireNonNull(os, "os");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,80}")) {
            throw new IllegalArgumentException("domain name must be letters, digits, '.', '_' or '-', was " + name);
        }
        devices = List.copyOf(devices);
        Objects.requireNonNull(runAs, "runAs");
    }

    @Override
    public void render(Element domain) {
        domain.setAttribute("type", type.xmlName());
        DomainElement.text(domain, "name", name);
        label.render(domain);
        memory.render(domain);
        vcpus.render(domain);
        os.render(domain);
        DomainElement.child(DomainElement.child(domain, "features"), "acpi");
        DomainElement.text(domain, "on_poweroff", "destroy");
        DomainElement.text(domain, "on_reboot", "destroy");
        DomainElement.text(domain, "on_crash", "destroy");
        Element dev = DomainElement.child(domain, "devices");
        for (DomainElement d : devices) {
            d.render(dev);
        }
        Element usb = DomainElement.child(dev, "controller");
        usb.setAttribute("type", "usb");
        usb.setAttribute("model", "none");
        DomainElement.child(dev, "memballoon").setAttribute("model", "none");
        runAs.ifPresent(l -> l.render(domain));
    }
}
