package org.vmgrid.pilot.internal.domain;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * {@code <disk type='file' device='disk'>} on the virtio bus.
 *
 * @param source the image file (the job's overlay or one of its ISOs)
 * @param format {@code qcow2} or {@code raw}
 * @param target the guest device name ({@code vda}, {@code vdb}, ...)
 * @param readOnly whether the guest may not write it
 * @param backing the overlay's base image, named explicitly so that libvirt and QEMU never read a
 *     backing file from an image's header
 */
public record Disk(Path source, String format, String target, boolean readOnly, Optional<BaseImage> backing)
        implements DomainElement {

    /**
     * A read-only base image under an overlay, shared by every job that uses it: libvirt leaves its
     * owner alone (QEMU reads it as any user may), and the chain ends with it.
     */
    public record BaseImage(Path file, String format) {
        public BaseImage {
            Objects.requireNonNull(file, "file");
            checkFormat(format);
        }
    }

    /** A disk with no base image. */
    public Disk(Path source, String format, String target, boolean readOnly) {
        this(source, format, target, readOnly, Optional.empty());
    }

    public Disk {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(backing, "backing");
        checkFormat(format);
        if (!target.matches("vd[a-z]")) {
            throw new IllegalArgumentException("virtio disk target must be vda..vdz, was " + target);
        }
        if (backing.isPresent() && !format.equals("qcow2")) {
            throw new IllegalArgumentException("only a qcow2 overlay has a base image, not a " + format + " disk");
        }
    }

    private static void checkFormat(String format) {
        if (!format.equals("qcow2") && !format.equals("raw")) {
            throw new IllegalArgumentException("disk format must be qcow2 or raw, was " + format);
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
        backing.ifPresent(b -> {
            Element store = DomainElement.child(disk, "backingStore");
            store.setAttribute("type", "file");
            DomainElement.child(store, "format").setAttribute("type", b.format());
            Element src = DomainElement.child(store, "source");
            src.setAttribute("file", b.file().toString());
            DacLabel.keepOwner(src);
            DomainElement.child(store, "backingStore"); // the chain ends here
        });
        Element t = DomainElement.child(disk, "target");
        t.setAttribute("dev", target);
        t.setAttribute("bus", "virtio");
        if (readOnly) {
            DomainElement.child(disk, "readonly");
        }
    }
}
