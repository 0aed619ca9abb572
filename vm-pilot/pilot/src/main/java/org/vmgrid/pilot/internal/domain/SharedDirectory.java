package org.vmgrid.pilot.internal.domain;

import java.nio.file.Path;
import java.util.Objects;
import org.w3c.dom.Element;

/**
 * {@code <filesystem type='mount'>}: a host directory shared with 9p under a mount tag. Access mode
 * {@code squash}: the guest can write, and files land owned by QEMU's user (passthrough cannot write
 * when QEMU is not root).
 */
public record SharedDirectory(Path hostDir, String tag) implements DomainElement {

    public SharedDirectory {
        Objects.requireNonNull(hostDir, "hostDir");
        if (!tag.matches("[a-z][a-z0-9_]{0,30}")) {
            throw new IllegalArgumentException("9p mount tag must be a short lower-case word, was " + tag);
        }
    }

    @Override
    public void render(Element parent) {
        Element fs = DomainElement.child(parent, "filesystem");
        fs.setAttribute("type", "mount");
        fs.setAttribute("accessmode", "squash");
        DomainElement.child(fs, "source").setAttribute("dir", hostDir.toString());
        DomainElement.child(fs, "target").setAttribute("dir", tag);
    }
}
