package org.vmgrid.pilot.internal.domain;

import java.nio.file.Path;
import java.util.Objects;
import org.w3c.dom.Element;

/**
 * {@code <channel type='file'>}: a named virtio-serial port whose output goes to a host file, which
 * libvirtd opens and hands QEMU as a descriptor; the file stays the pilot's ({@code relabel='no'}).
 */
public record VirtioChannel(Path file, String name) implements DomainElement {

    public VirtioChannel {
        Objects.requireNonNull(file, "file");
        if (!name.matches("[a-z0-9.]+")) {
            throw new IllegalArgumentException("virtio-serial port name must be dotted lower-case words, was " + name);
        }
    }

    @Override
    public void render(Element parent) {
        Element channel = DomainElement.child(parent, "channel");
        channel.setAttribute("type", "file");
        Element source = DomainElement.child(channel, "source");
        source.setAttribute("path", file.toString());
        DacLabel.keepOwner(source);
        Element target = DomainElement.child(channel, "target");
        target.setAttribute("type", "virtio");
        target.setAttribute("name", name);
    }
}
