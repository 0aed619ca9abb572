package org.vmgrid.pilot.internal.domain;

import java.nio.file.Path;
import java.util.Objects;
import org.w3c.dom.Element;

/**
 * {@code <disk type='file' device='disk'>} on the virtio bus.
 *
 * @param source the image file (the job's overlay or one of its ISOs)
 * @param format {@code qcow2} or {@code raw}
 * @param target the guest device name ({@code vda}, {@code vdb}, ...)
 * @param readOnly whether the guest may not write it
 */
public record Disk(Path source, String format, String target, boolean readOnly) implements DomainElement {

    public Disk {
        Objects.requireNonNull(source, "source");
        if (!format.equals("qcow2") && !format.equals("raw")) {
            throw new IllegalArgumentException("disk format must be qcow2 or raw, was " + format);
        }
        if (!target.matches("vd[a-z]")) {
            throw new IllegalArgumentException("virtio disk target must be vda..vdz, was " + target);
        }
    }

    @Override
    public void render(Element parent) {
        Element disk = DomainElement.child(parent, "disk");
        disk.setAttribute("type", "file");
        disk.setAttribute("device", "disk");
        Element driver = DomainElement.child(disk, "driver");
        driver.setAttribute("name", "qemu");
        driver.setAttribute("type", format);
        DomainElement.child(disk, "source").setAttribute("file", source.toString());
        Element t = DomainElement.child(disk, "target");
        t.setAttribute("dev", target);
        t.setAttribute("bus", "virtio");
        if (readOnly) {
            DomainElement.child(disk, "readonly");
        }
    }
}
