package org.vmgrid.pilot.internal.domain;

import java.nio.file.Path;
import java.util.Objects;
import org.w3c.dom.Element;

/**
 * {@code <channel type='pipe'>} named {@code org.vmgrid.job}: the job port of guest contract 2, over
 * which the pilot hands the guest its job once the guest is ready (after its boot, or after a
 * restore). QEMU reads what the pilot writes into the FIFO {@code <path>.in} (and writes what the
 * guest sends, which nobody reads, into {@code <path>.out}); the pilot makes both FIFOs (0600) and
 * opens its end before the VM starts, and libvirt hands them to QEMU's user for the run.
 */
public record JobPort(Path path) implements DomainElement {

    /** The port's name, which the guest looks for. */
    public static final String NAME = "org.vmgrid.job";

    public JobPort {
        Objects.requireNonNull(path, "path");
    }

    /** The FIFO QEMU reads the job from. */
    public Path input() {
        return path.resolveSibling(path.getFileName() + ".in");
    }

    /** The FIFO QEMU writes the guest's side into. */
    public Path output() {
        return path.resolveSibling(path.getFileName() + ".out");
    }

    @Override
    public void render(Element parent) {
        Element channel = DomainElement.child(parent, "channel");
        channel.setAttribute("type", "pipe");
        DomainElement.child(channel, "source").setAttribute("path", path.toString());
        Element target = DomainElement.child(channel, "target");
        target.setAttribute("type", "virtio");
        target.setAttribute("name", NAME);
    }
}
