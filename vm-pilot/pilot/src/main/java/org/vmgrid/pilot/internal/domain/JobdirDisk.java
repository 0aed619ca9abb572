package org.vmgrid.pilot.internal.domain;

import java.nio.file.Path;
import java.util.Objects;
import org.w3c.dom.Element;

/**
 * A raw virtio disk that carries the job directory for guests without the shared file system,
 * found in the guest by its serial ({@code /dev/disk/by-id/virtio-<serial>}).
 *
 * @param serial letters, digits and '-', at most 20 (what virtio-blk passes on)
 */
public record JobdirDisk(Path source, String target, String serial, boolean readOnly) implements DomainElement {

    public JobdirDisk {
        Objects.requireNonNull(source, "source");
        if (target == null || !target.matches("vd[a-z]")) {
            throw new IllegalArgumentException("virtio disk target must be vda..vdz, was " + target);
        }
        if (serial == null || !serial.matches("[A-Za-z0-9-]{1,20}")) {
            throw new IllegalArgumentException("a disk serial must be 1-20 letters, digits and '-', was " + serial);
        }
    }

    @Override
    public void render(Element parent) {
        Element disk = DomainElement.child(parent, "disk");
        disk.setAttribute("type", "file");
        disk.setAttribute("device", "disk");
        Element driver = DomainElement.child(disk, "driver");
        driver.setAttribute("name", "qemu");
        driver.setAttribute("type", "raw");
        DomainElement.child(disk, "source").setAttribute("file", source.toString());
        Element t = DomainElement.child(disk, "target");
        t.setAttribute("dev", target);
        t.setAttribute("bus", "virtio");
        DomainElement.text(disk, "serial", serial);
        if (readOnly) {
            DomainElement.child(disk, "readonly");
        }
    }
}
